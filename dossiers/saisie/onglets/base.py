"""Forms of the dossier's tabs and of the new-dossier wizard.

A tab form never blocks a draft: every field is optional at form level (mandatory fields and
business rules are the rules engine's job) and only format errors keep a field from being written.
"""

from __future__ import annotations

from django import forms


class OngletForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, check_url: str = "", editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name == "version"
            if name == "version":
                continue
            if not editable:
                field.disabled = True
            attrs = field.widget.attrs
            if isinstance(field.widget, forms.CheckboxInput):
                attrs.setdefault("class", "form-check-input")
            else:
                attrs.setdefault("class", "form-control")
            if editable:
                attrs["data-autosave"] = ""  # static/portal/js/autosave.js saves it a moment after the user stops
            if check_url and editable:
                # A field's check when the user leaves it (the guide: messages "au fil de la saisie").
                attrs.update(
                    {
                        "hx-post": check_url,
                        "hx-trigger": "change",
                        "hx-target": f"#messages-{name}",
                        "hx-swap": "outerHTML",
                        "hx-vals": f'{{"_field": "{name}"}}',
                    }
                )

    @property
    def charge(self) -> str:
        """The signed fingerprints of what this form shows and stores (``saisie/fusion.py``); ``gardes`` overrides
        those of fields changed elsewhere whose loaded value is still the one on screen."""
        from dossiers.saisie import fusion

        return fusion.signer(fusion.empreintes(self) | getattr(self, "gardes", {}))

    def restaurer(self, name: str, valeur) -> None:
        """Put a field's stored value back on the instance (a field left out of a merged write)."""
        try:
            field = self.instance._meta.get_field(name)
        except Exception:  # noqa: BLE001 — not a model field: the subclass's
            return
        setattr(self.instance, field.attname, valeur)

    def valid_field_names(self) -> list[str]:
        """Model fields whose submitted value is well-formed (and so may be written)."""
        return [name for name in self.cleaned_data if name != "version" and name in self._meta.fields]

    def save_valid(self) -> None:
        """Write the well-formed fields (already applied to the instance by validation)."""
        names = self.valid_field_names()
        if names:
            self.instance.save(update_fields=names)
