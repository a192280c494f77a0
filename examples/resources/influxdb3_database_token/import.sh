# Tokens are imported by their id (a UUID), from the cluster the provider points at.
# The access token cannot be recovered: it is null after import.
terraform import influxdb3_database_token.ingest 55555555-5555-4555-8555-555555555555
