import socket

import pytest
from django.core.exceptions import ValidationError

from notices.models import WebhookEndpoint
from notices.urlguard import UnsafeURL, check_webhook_url


@pytest.fixture(autouse=True)
def production_rules(settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


def resolves_to(monkeypatch, *addresses):
    def fake_getaddrinfo(host, port, *args, **kwargs):
        def family(a):
            return socket.AF_INET6 if ":" in a else socket.AF_INET

        return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",  # loopback
        "https://127.8.9.10/hook",
        "https://[::1]/hook",
        "https://10.1.2.3/hook",  # private ranges
        "https://172.16.0.5/hook",
        "https://192.168.1.1/hook",
        "https://[fc00::1]/hook",  # IPv6 unique local
        "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",  # unspecified
        "https://100.64.0.1/hook",  # shared address space
        "https://240.0.0.1/hook",  # reserved
        "https://224.0.0.1/hook",  # multicast
        "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
        "https://[::ffff:10.0.0.1]/hook",
        "https://[2002:7f00:1::1]/hook",  # 6to4 wrapping 127.0.0.1
    ],
)
def test_internal_addresses_are_refused(url):
    with pytest.raises(UnsafeURL, match="public addresses"):
        check_webhook_url(url)


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    resolves_to(monkeypatch, "93.184.215.14", "10.0.0.8")
    with pytest.raises(UnsafeURL, match="10.0.0.8"):
        check_webhook_url("https://hooks.example.org/in")


def test_a_public_name_passes_and_the_checked_address_is_the_one_to_connect_to(
    monkeypatch, settings
):
    settings.WEBHOOK_ALLOWED_PORTS = [443, 8443]
    resolves_to(monkeypatch, "93.184.215.14")
    target = check_webhook_url("https://hooks.example.org:8443/in?team=7")
    assert (target.host, target.port, target.path, target.address) == (
        "hooks.example.org",
        8443,
        "/in?team=7",
        "93.184.215.14",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.215.14/hook", "https"),
        ("ftp://93.184.215.14/hook", "https"),
        ("https://user:pw@93.184.215.14/hook", "Credentials"),
        ("https:///hook", "no host"),
        ("https://93.184.215.14:99999/hook", "valid URL"),
    ],
)
def test_malformed_or_plain_http_urls_are_refused(url, message):
    with pytest.raises(UnsafeURL, match=message):
        check_webhook_url(url)


def test_an_unresolvable_name_is_refused(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(UnsafeURL, match="cannot be resolved"):
        check_webhook_url("https://nowhere.invalid/hook")


def test_settings_can_allow_http_and_loopback_for_local_runs(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    assert check_webhook_url("http://127.0.0.1:8001/hook").address == "127.0.0.1"


def test_the_endpoint_model_validates_its_url_on_save_through_clean():
    endpoint = WebhookEndpoint(url="https://10.0.0.1/hook")
    with pytest.raises(ValidationError) as info:
        endpoint.clean()
    assert "url" in info.value.message_dict


@pytest.mark.parametrize("url", ["https://8.8.8.8:22/", "https://8.8.8.8:8443/hook"])
def test_a_public_host_on_another_port_than_443_is_refused(url):
    with pytest.raises(UnsafeURL, match="may only use port 443"):
        check_webhook_url(url)


def test_the_allowed_ports_are_a_setting(settings):
    assert check_webhook_url("https://8.8.8.8/hook").port == 443
    assert check_webhook_url("https://8.8.8.8:443/hook").port == 443
    settings.WEBHOOK_ALLOWED_PORTS = [443, 8443]
    assert check_webhook_url("https://8.8.8.8:8443/hook").port == 8443
