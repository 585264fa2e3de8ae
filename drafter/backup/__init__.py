"""Backup and restore of one negotiation: ``drafter backup`` and ``drafter restore``."""

from drafter.backup.service import BackupFile, Restored, create_backup, restore_backup

__all__ = ["BackupFile", "Restored", "create_backup", "restore_backup"]
