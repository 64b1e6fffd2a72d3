"""The largest relative difference per column between `ispdb predict --format csv` and pipeline.py's CSV.
Usage: compare.py ISPDB.csv LIFETIMES.csv (needs numpy and pandas)."""
import sys, numpy as np, pandas as pd
ours = pd.read_csv(sys.argv[1]).set_index('customer_id')
theirs = pd.read_csv(sys.argv[2]).set_index('customer_id').loc[ours.index]
for c in ['frequency', 'recency', 'T', 'monetary_value', 'p_alive', 'expected_purchases', 'expected_average_value',
          'clv']:
    a, b = ours[c].to_numpy(), theirs[c].to_numpy()
    print(f'{c}: {np.nanmax(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)):.3g}')
