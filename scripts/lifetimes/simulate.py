"""Simulates a data set from BG/NBD and Gamma-Gamma, with heterogeneity, as ispdb's CSVs (issue 24's set that
lifetimes can fit). Usage: simulate.py CUSTOMERS OUT_DIR [SEED]; needs numpy and pandas (Debian: python3-numpy,
python3-pandas). Weeks; the last day is 2023-12-31, first purchases over the 104 weeks before."""
import sys, numpy as np, pandas as pd, os
n = int(sys.argv[1]); out = sys.argv[2]; seed = int(sys.argv[3]) if len(sys.argv) > 3 else 24
r, alpha, a, b = 0.6, 2.4, 0.8, 2.5       # weeks
p, q, v = 6.0, 4.0, 15.0
rng = np.random.default_rng(seed)
end = np.datetime64('2024-01-01T00:00:00')   # as-of day 2023-12-31: the last instant before 2024
span = 104 * 7 * 86400.0
lam = rng.gamma(r, 1 / alpha, n) / (7 * 86400.0)   # per second
drop = rng.beta(a, b, n)
nu = rng.gamma(q, 1 / v, n)
first = rng.uniform(0, span, n)               # seconds after the start
cust, when = [np.arange(n)], [first]
t = first.copy(); alive = np.ones(n, bool)
while alive.any():
    idx = np.nonzero(alive)[0]
    t[idx] += rng.exponential(1 / lam[idx])
    ok = t[idx] < span
    alive[idx[~ok]] = False
    idx = idx[ok]
    cust.append(idx); when.append(t[idx].copy())
    dead = rng.uniform(size=idx.size) < drop[idx]
    alive[idx[dead]] = False
cust = np.concatenate(cust); when = np.concatenate(when)
amount = np.round(rng.gamma(p, 1 / nu[cust]), 2)
amount = np.maximum(amount, 0.01)
start = end - np.timedelta64(int(span), 's')
dates = start + (when * 1e6).astype('timedelta64[us]')
order = np.argsort(dates, kind='stable')
os.makedirs(out, exist_ok=True)
tx = pd.DataFrame({'transaction_id': np.arange(1, cust.size + 1), 'customer_id': cust[order],
                   'payment_method_id': rng.integers(0, 5, cust.size), 'transaction_date': dates[order],
                   'amount': amount[order]})
tx['transaction_date'] = tx['transaction_date'].dt.strftime('%Y-%m-%d %H:%M:%S.%f')
tx.to_csv(f'{out}/fact_transaction.csv', index=False, float_format='%.2f')
g = tx.groupby('customer_id')['transaction_date']
fmin, fmax = g.min(), g.max()
cu = pd.DataFrame({'customer_id': np.arange(n), 'age': rng.integers(18, 80, n),
                   'gender': np.where(rng.uniform(size=n) < .5, 'Female', 'Male'),
                   'first_transaction_date': fmin.values, 'last_transaction_date': fmax.values})
cu['survival_time'] = ((pd.to_datetime(cu.last_transaction_date) - pd.to_datetime(cu.first_transaction_date)).dt.days)
cu['event_observed'] = 'True'
cu.to_csv(f'{out}/dim_customer.csv', index=False)
pd.DataFrame({'payment_method_id': range(5), 'payment_method_name': ['Credit Card', 'Debit Card', 'PayPal', 'Bank Transfer', 'Cash']}).to_csv(f'{out}/dim_payment_method.csv', index=False)
print(n, 'customers', cust.size, 'transactions')
