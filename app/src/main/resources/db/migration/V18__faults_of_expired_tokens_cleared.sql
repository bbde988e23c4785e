-- A token's expiry now clears its faults, as a revocation does (ExpiryNotifier). Faults of tokens that expired
-- before this release are cleared as of their expiry.
UPDATE fault f SET status = 'CLEARED', cleared_at = v.expires_at
FROM token_view v
WHERE v.id = f.token_id AND v.status = 'EXPIRED' AND f.status <> 'CLEARED';
