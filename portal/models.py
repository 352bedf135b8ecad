"""The portal's user: logs in by e-mail and has one role (adhérent, prestataire, gestionnaire)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class Role(models.TextChoices):
    ADHERENT = "adherent", "Adhérent"
    PRESTATAIRE = "prestataire", "Prestataire de formation"
    GESTIONNAIRE = "gestionnaire", "Gestionnaire AKTO"


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.GESTIONNAIRE)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("Adresse e-mail", unique=True)
    role = models.CharField("Rôle", max_length=20, choices=Role.choices, default=Role.ADHERENT)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_adherent(self) -> bool:
        return self.role == Role.ADHERENT

    @property
    def is_prestataire(self) -> bool:
        return self.role == Role.PRESTATAIRE

    @property
    def is_gestionnaire(self) -> bool:
        return self.role == Role.GESTIONNAIRE

    @property
    def profil_label(self) -> str:
        """As the dossier header shows it: *Profil Adhérent*."""
        return {Role.ADHERENT: "Adhérent", Role.PRESTATAIRE: "Prestataire", Role.GESTIONNAIRE: "Gestionnaire"}[
            self.role
        ]
