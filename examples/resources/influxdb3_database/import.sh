# Databases are imported by name, from the cluster the provider points at.
terraform import influxdb3_database.sensors sensors
