# ORM adapters: filled by the addon's issue
