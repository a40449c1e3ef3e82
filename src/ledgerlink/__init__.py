"""ledgerlink: keeps a company's purchasing and billing in step with Xero."""
