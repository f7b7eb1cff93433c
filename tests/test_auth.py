from django.contrib.sessions.models import Session
from django.urls import reverse

from .conftest import PASSWORD


def test_it_signs_in_and_lands_on_home(client, pm):
    response = client.post(reverse("login"), {"username": "pm", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == pm


def test_it_refuses_a_wrong_password_and_keeps_the_username(client, pm):
    response = client.post(reverse("login"), {"username": "pm", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert 'value="pm"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session(client, pm):
    client.post(reverse("login"), {"username": "pm", "password": PASSWORD})
    session_key = client.session.session_key
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_deactivated_user_is_out_on_the_next_request(client, pm):
    client.force_login(pm)
    assert client.get(reverse("home")).status_code == 200
    pm.is_active = False
    pm.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_user_cannot_sign_in(client, inactive):
    client.post(reverse("login"), {"username": "inactive", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_password_change_keeps_the_user_signed_in(client, pm):
    client.force_login(pm)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-long-pass-77", "new_password2": "a-new-long-pass-77",
    })
    assert response["Location"] == reverse("password_change_done")
    pm.refresh_from_db()
    assert pm.check_password("a-new-long-pass-77")
    assert client.get(reverse("home")).status_code == 200


def test_password_change_refuses_a_mismatch_with_a_message(client, pm):
    client.force_login(pm)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-long-pass-77", "new_password2": "other-long-pass-88",
    })
    assert response.status_code == 200
    assert "The two password fields didn" in response.content.decode()
    pm.refresh_from_db()
    assert pm.check_password(PASSWORD)


def test_the_chosen_language_is_remembered_for_the_user(client, pm):
    client.force_login(pm)
    client.post(reverse("set_language"), {"language": "nl", "next": reverse("home")})
    pm.refresh_from_db()
    assert pm.language == "nl"
    # Another device: no language cookie, same user.
    client.cookies.clear()
    client.force_login(pm)
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "nl"
    assert "Mijn projecten" in response.content.decode()


def test_french_pages_for_a_french_speaker(client, pm):
    pm.language = "fr"
    pm.save()
    client.force_login(pm)
    assert "Mes projets" in client.get(reverse("home")).content.decode()


def test_language_switch_ignores_an_unknown_language(client, pm):
    client.force_login(pm)
    client.post(reverse("set_language"), {"language": "xx"})
    pm.refresh_from_db()
    assert pm.language == "en"


def test_language_switch_does_not_redirect_off_site(client, pm):
    client.force_login(pm)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_anonymous_visitor_can_switch_the_sign_in_page_language(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    assert response["Location"] == reverse("login")
    assert "Connexion" in client.get(reverse("login")).content.decode()
