"""Training modules of the Formation tab: add (internal / external), edit, delete."""

urlpatterns: list = []
