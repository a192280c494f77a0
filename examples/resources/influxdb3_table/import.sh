# Tables are imported as <database>/<table> (split at the last "/"), from the cluster the
# provider points at. The API cannot read a table's partition template back: write it in the
# configuration as the table was created.
terraform import influxdb3_table.readings sensors/readings
