"""lifetimes 0.11.3's pipeline on ispdb's CSVs, as issue 24 compares it with `ispdb predict --format csv`: read
fact_transaction.csv, summary_data_from_transaction_data (days / 7, as-of 2023-12-31), BetaGeoFitter,
GammaGammaFitter on the repeat customers with a positive monetary_value, p_alive, expected purchases in 12 months of
4.345 weeks, the conditional mean spend and customer_lifetime_value (12 months, 0.01). Usage: pipeline.py DIR [OUT.csv].
lifetimes and autograd from their GitHub sources: LIFETIMES_PATH=/path/lifetimes:/path/autograd (Debian's
python3-numpy, python3-scipy, python3-pandas, python3-dill)."""
import os, sys, time
sys.path[:0] = [p for p in os.environ.get('LIFETIMES_PATH', '').split(':') if p]
t0 = time.time()
import numpy as np, pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data
d = sys.argv[1]
tx = pd.read_csv(f'{d}/fact_transaction.csv', parse_dates=['transaction_date'])
t1 = time.time()
s = summary_data_from_transaction_data(tx, 'customer_id', 'transaction_date', monetary_value_col='amount',
                                       observation_period_end='2023-12-31', freq='D', freq_multiplier=7)
t2 = time.time()
bgf = BetaGeoFitter().fit(s['frequency'], s['recency'], s['T'])   # s.T would be the transpose
t3 = time.time()
rep = s[(s['frequency'] > 0) & (s['monetary_value'] > 0)]
ggf = GammaGammaFitter().fit(rep['frequency'], rep['monetary_value'])
t4 = time.time()
s['p_alive'] = bgf.conditional_probability_alive(s['frequency'], s['recency'], s['T'])
s['expected_purchases'] = bgf.conditional_expected_number_of_purchases_up_to_time(12 * 4.345, s['frequency'],
                                                                                   s['recency'], s['T'])
s['expected_average_value'] = ggf.conditional_expected_average_profit(s['frequency'], s['monetary_value'])
s['clv'] = ggf.customer_lifetime_value(bgf, s['frequency'], s['recency'], s['T'], s['monetary_value'], time=12,
                                       discount_rate=0.01, freq='W')
t5 = time.time()
print(f'read {t1-t0:.2f} s, summary {t2-t1:.2f} s, BG/NBD {t3-t2:.2f} s, Gamma-Gamma {t4-t3:.2f} s, '
      f'predictions {t5-t4:.2f} s', file=sys.stderr)
print('bgnbd', ' '.join(f'{k} {v:.10g}' for k, v in bgf.params_.items()), file=sys.stderr)
print('gamma-gamma', ' '.join(f'{k} {v:.10g}' for k, v in ggf.params_.items()), file=sys.stderr)
s.to_csv(sys.argv[2] if len(sys.argv) > 2 else sys.stdout)
