"""The files' storage on a local disk that never leaves a partial file, and the French message of a disk failure.

``FileSystemStorage`` writes straight to the final name: a full disk (ENOSPC) in the middle of a write leaves a
truncated file that no row points to. ``StockageDisque`` writes under a temporary name in the same folder
(``.part-*``), syncs it, then links it to its final name; on any error the temporary file is removed, so a stored
name always holds a whole file.
"""

from __future__ import annotations

import errno
import os
import tempfile

from django.core.files.storage import FileSystemStorage

MSG_DISQUE_PLEIN = (
    "Le fichier n'a pas pu être enregistré : l'espace de stockage du portail est plein. "
    "Réessayez plus tard ; si le problème persiste, contactez AKTO."
)
MSG_STOCKAGE = (
    "Le fichier n'a pas pu être enregistré : le stockage du portail est indisponible. "
    "Réessayez plus tard ; si le problème persiste, contactez AKTO."
)


def message(erreur: OSError) -> str:
    """What the user reads under the upload field when the storage refused a write."""
    return MSG_DISQUE_PLEIN if erreur.errno in (errno.ENOSPC, errno.EDQUOT) else MSG_STOCKAGE


def _ecrire(fd: int, donnees: bytes) -> None:
    vue = memoryview(donnees)
    while vue:
        vue = vue[os.write(fd, vue) :]


def _nommer(temporaire: str, final: str) -> None:
    """Give the whole file its final name, never replacing an existing file (FileExistsError)."""
    try:
        os.link(temporaire, final)
    except FileExistsError:
        raise
    except OSError as erreur:  # a file system without hard links: reserve the name, then move the file onto it
        if erreur.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        os.close(os.open(final, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(temporaire, final)


class StockageDisque(FileSystemStorage):
    """``FileSystemStorage`` writing through a temporary name: a file is either whole under its name or absent."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        if self.directory_permissions_mode is not None:
            os.chmod(directory, self.directory_permissions_mode)
        fd, temporaire = tempfile.mkstemp(dir=directory, prefix=".part-")
        try:
            try:
                for chunk in content.chunks():
                    _ecrire(fd, chunk if isinstance(chunk, bytes) else chunk.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(temporaire, self.file_permissions_mode if self.file_permissions_mode is not None else 0o644)
            while True:
                try:
                    _nommer(temporaire, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            try:
                os.unlink(temporaire)
            except FileNotFoundError:
                pass
        return str(name).replace("\\", "/")
