/**
 * API secrets are kept only as SHA-256 hashes (hex). Existing secrets are hashed in place, so every
 * merchant's current secret keeps working, and the plain column is dropped: a copy of the database
 * (a backup, a replica, a leaked dump) no longer holds anything that authenticates.
 */
export const sql = /* sql */ `
ALTER TABLE merchants ADD COLUMN api_secret_hash text;
UPDATE merchants SET api_secret_hash = encode(sha256(convert_to(api_secret, 'UTF8')), 'hex');
ALTER TABLE merchants
  ALTER COLUMN api_secret_hash SET NOT NULL,
  ADD CONSTRAINT merchants_api_secret_hash_sha256 CHECK (api_secret_hash ~ '^[0-9a-f]{64}$'),
  DROP COLUMN api_secret;
`;
