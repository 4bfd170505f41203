//! voile-rules: regex detectors with checksum validators for French structured identifiers (dates, phones, NIR, IPP/NDA/RPPS/FINESS, addresses, titled names)
