"""Dutch and French for every msgid, applied to the catalogs by `make messages`.

Keeping them here (rather than only in the .po files) lets a reviewer see both languages
side by side; `python locale/translations.py` fills the .po files and reports any msgid
that has no translation yet.
"""

import sys
from pathlib import Path

import polib

T = {
    # msgid: (nl, fr)
    "Preferences": ("Voorkeuren", "Préférences"),
    "Users and notifications": ("Gebruikers en meldingen", "Utilisateurs et notifications"),
    "Language": ("Taal", "Langue"),
    "language": ("taal", "langue"),
    "The language of the pages and e-mails this person receives.": (
        "De taal van de pagina's en e-mails die deze persoon ontvangt.",
        "La langue des pages et des e-mails que cette personne reçoit."),
    "user": ("gebruiker", "utilisateur"),
    "users": ("gebruikers", "utilisateurs"),
    "recipient": ("ontvanger", "destinataire"),
    "subject": ("onderwerp", "objet"),
    "message": ("bericht", "message"),
    "link": ("link", "lien"),
    "created": ("aangemaakt", "créé"),
    "read": ("gelezen", "lu"),
    "e-mailed": ("gemaild", "envoyé par e-mail"),
    "notification": ("melding", "notification"),
    "notifications": ("meldingen", "notifications"),
    "Sales": ("Verkoop", "Ventes"),
    "Support officer": ("PM-ondersteuning", "Support PM"),
    "Project manager": ("Projectleider", "Chef de projet"),
    "Engineering manager": ("Engineeringmanager", "Responsable engineering"),
    "PMO lead": ("Hoofd PMO", "Responsable PMO"),
    "Finance": ("Financiën", "Finance"),
    "Administrator": ("Beheerder", "Administrateur"),
    "English": ("Engels", "Anglais"),
    "Dutch": ("Nederlands", "Néerlandais"),
    "French": ("Frans", "Français"),
    "Procurement": ("Aankoop", "Achats"),
    "Projects": ("Projecten", "Projets"),
    "changed": ("gewijzigd", "modifié"),
    "deleted": ("verwijderd", "supprimé"),
    "name": ("naam", "nom"),
    "VAT number": ("btw-nummer", "numéro de TVA"),
    "address": ("adres", "adresse"),
    "preferred language": ("voorkeurstaal", "langue préférée"),
    "customer": ("klant", "client"),
    "customers": ("klanten", "clients"),
    "Initiation": ("Opstart", "Initialisation"),
    "Planning": ("Planning", "Planification"),
    "Execution": ("Uitvoering", "Exécution"),
    "Closing": ("Afsluiting", "Clôture"),
    "Closed": ("Afgesloten", "Clôturé"),
    "On hold": ("On hold", "En attente"),
    "Cancelled": ("Geannuleerd", "Annulé"),
    "Level 1": ("Niveau 1", "Niveau 1"),
    "Level 2": ("Niveau 2", "Niveau 2"),
    "Level 3": ("Niveau 3", "Niveau 3"),
    "code": ("code", "code"),
    "A project code looks like PRJ-2026-0042.": (
        "Een projectcode ziet eruit als PRJ-2026-0042.", "Un code de projet a la forme PRJ-2026-0042."),
    "status": ("status", "statut"),
    "level": ("niveau", "niveau"),
    "project manager": ("projectleider", "chef de projet"),
    "deputy project manager": ("adjunct-projectleider", "chef de projet adjoint"),
    "support officer": ("PM-ondersteuning", "support PM"),
    "sales owner": ("verantwoordelijke verkoop", "responsable commercial"),
    "The salesperson who handed the deal over.": (
        "De verkoper die de deal heeft overgedragen.", "Le commercial qui a transmis l'affaire."),
    "start date": ("startdatum", "date de début"),
    "end date": ("einddatum", "date de fin"),
    "project": ("project", "projet"),
    "projects": ("projecten", "projets"),
    "History of %(code)s": ("Geschiedenis van %(code)s", "Historique de %(code)s"),
    "Reporting": ("Rapportering", "Rapports"),
    "Not allowed": ("Niet toegestaan", "Non autorisé"),
    "You may not do this": ("Dit mag u niet doen", "Vous ne pouvez pas faire ceci"),
    "Your role does not allow this action. If you think it should, ask the PMO.": (
        "Uw rol laat deze actie niet toe. Denkt u dat dit wel zou moeten, vraag het dan aan het PMO.",
        "Votre rôle ne permet pas cette action. Si vous pensez qu'il le devrait, adressez-vous au PMO."),
    "Back to your home page": ("Terug naar uw startpagina", "Retour à votre page d'accueil"),
    "Not found": ("Niet gevonden", "Introuvable"),
    "Page not found": ("Pagina niet gevonden", "Page introuvable"),
    "There is nothing here, or it is not shared with you. Check the address, or ask the person who sent you the link.": (
        "Hier staat niets, of het is niet met u gedeeld. Controleer het adres of vraag het aan wie u de link stuurde.",
        "Il n'y a rien ici, ou ce n'est pas partagé avec vous. Vérifiez l'adresse ou demandez à la personne qui vous a envoyé le lien."),
    "No notifications.": ("Geen meldingen.", "Aucune notification."),
    "Pages": ("Pagina's", "Pages"),
    "Previous": ("Vorige", "Précédent"),
    "Page %(number)s of %(total)s": ("Pagina %(number)s van %(total)s", "Page %(number)s sur %(total)s"),
    "Next": ("Volgende", "Suivant"),
    "Sign in": ("Aanmelden", "Connexion"),
    "Notifications": ("Meldingen", "Notifications"),
    "Mark all as read": ("Alles als gelezen markeren", "Tout marquer comme lu"),
    "Change password": ("Wachtwoord wijzigen", "Changer le mot de passe"),
    "Cancel": ("Annuleren", "Annuler"),
    "Password changed": ("Wachtwoord gewijzigd", "Mot de passe changé"),
    "Your new password is in use. Other devices where you were signed in have been signed out.": (
        "Uw nieuwe wachtwoord is actief. Andere toestellen waarop u was aangemeld, zijn afgemeld.",
        "Votre nouveau mot de passe est actif. Les autres appareils sur lesquels vous étiez connecté ont été déconnectés."),
    "PMO": ("PMO", "PMO"),
    "Skip to content": ("Naar de inhoud", "Aller au contenu"),
    "Main navigation": ("Hoofdnavigatie", "Navigation principale"),
    "Toggle navigation": ("Navigatie tonen of verbergen", "Afficher ou masquer la navigation"),
    "Home": ("Start", "Accueil"),
    "Administration": ("Beheer", "Administration"),
    "No role yet": ("Nog geen rol", "Pas encore de rôle"),
    "Sign out": ("Afmelden", "Déconnexion"),
    "Close": ("Sluiten", "Fermer"),
    "Back": ("Terug", "Retour"),
    "When": ("Wanneer", "Quand"),
    "Who": ("Wie", "Qui"),
    "What": ("Wat", "Quoi"),
    "Changes": ("Wijzigingen", "Modifications"),
    "system": ("systeem", "système"),
    "No recorded changes.": ("Geen geregistreerde wijzigingen.", "Aucune modification enregistrée."),
    "Customer": ("Klant", "Client"),
    "Deputy project manager": ("Adjunct-projectleider", "Chef de projet adjoint"),
    "Start date": ("Startdatum", "Date de début"),
    "End date": ("Einddatum", "Date de fin"),
    "Project areas": ("Projectonderdelen", "Volets du projet"),
    "History": ("Geschiedenis", "Historique"),
    "Search": ("Zoeken", "Rechercher"),
    "Code, name or customer": ("Code, naam of klant", "Code, nom ou client"),
    "Code": ("Code", "Code"),
    "Name": ("Naam", "Nom"),
    "Level": ("Niveau", "Niveau"),
    "Status": ("Status", "Statut"),
    "No project matches this search.": ("Geen project voldoet aan deze zoekopdracht.", "Aucun projet ne correspond à cette recherche."),
    "No projects yet.": ("Nog geen projecten.", "Pas encore de projets."),
    "Welcome, %(name)s": ("Welkom, %(name)s", "Bienvenue, %(name)s"),
    "You have no role yet. Ask an administrator to give you one.": (
        "U hebt nog geen rol. Vraag een beheerder om er u een te geven.",
        "Vous n'avez pas encore de rôle. Demandez-en un à un administrateur."),
    "Portfolio at a glance": ("Portefeuille in één oogopslag", "Le portefeuille en un coup d'œil"),
    "My projects": ("Mijn projecten", "Mes projets"),
    "All projects": ("Alle projecten", "Tous les projets"),
    "No project names you yet.": ("U staat nog bij geen enkel project vermeld.", "Aucun projet ne vous mentionne encore."),
    "Unread notifications": ("Ongelezen meldingen", "Notifications non lues"),
    "All notifications": ("Alle meldingen", "Toutes les notifications"),
}

LANGUAGES = ("nl", "fr")


def main() -> int:
    missing = []
    for index, language in enumerate(LANGUAGES):
        path = Path(__file__).parent / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid in T:
                entry.msgstr = T[entry.msgid][index]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            elif not entry.msgstr:
                missing.append((language, entry.msgid))
        po.save()
    for language, msgid in missing:
        print(f"untranslated [{language}]: {msgid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
