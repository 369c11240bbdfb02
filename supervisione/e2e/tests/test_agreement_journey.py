"""The partnership's agreement on the FNPS quotas: the coordinator reaches it from the contract, sees that
quotas not adding up to 100 % are refused, and the plan shows each ATS's part; a partner's referent reads it."""

from __future__ import annotations

import pytest

from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e


def test_it_lets_the_coordinator_keep_the_quotas_and_the_referent_read_them(journey: Journey) -> None:
    journey.login("coordinatore.poggiardo")
    journey.visit("/contratti/", step="contratti")
    journey.click_link("Supervisione professionale degli assistenti sociali di Poggiardo, Maglie e Casarano")
    journey.expect_text("ATS che paga", "Accordo di ripartizione FNPS tra gli ATS", "35,72 %")
    journey.click_link("Tutti gli accordi del partenariato", step="accordi del partenariato")
    journey.click_link(
        "Convenzione tra gli ATS di Poggiardo, Maglie e Casarano per la supervisione sulle quote FNPS del 15/06/2026",
        step="accordo",
    )
    journey.expect_text("Quote di riparto", "Ambito di Casarano", "32,14 %", "Storico delle modifiche")
    journey.click_link("Modifica", step="modifica accordo")
    journey.fill("Quota di Ambito di Poggiardo (%)", "35,71")
    journey.submit("Salva", step="quote che non fanno 100")
    journey.expect_text("Le quote sommano a 99,99 %: devono fare esattamente 100 %.")
    journey.fill("Quota di Ambito di Maglie (%)", "mille")
    journey.submit("Salva", step="quota non numerica")
    journey.expect_field_error("Quota di Ambito di Maglie (%)", "«mille» non è un numero")
    journey.logout()

    journey.login("referente.maglie")
    journey.visit("/partenariati/POGGIARDO-114/", step="partenariato del referente")
    journey.click_link("Accordi di ripartizione FNPS", step="accordi letti dal referente")
    journey.expect_text("35,72 %", "32,14 %")
    journey.expect_no_text("Registra un accordo")
