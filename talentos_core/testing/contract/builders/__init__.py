"""Builders of valid domain objects for the contract suite, one module per area."""

from talentos_core.testing.contract.builders.hiring import full_vacancy as full_vacancy
from talentos_core.testing.contract.builders.hiring import make_vacancy as make_vacancy
from talentos_core.testing.contract.builders.identity import full_api_key as full_api_key
from talentos_core.testing.contract.builders.identity import full_tenant as full_tenant
from talentos_core.testing.contract.builders.identity import full_user as full_user
from talentos_core.testing.contract.builders.identity import make_api_key as make_api_key
from talentos_core.testing.contract.builders.identity import make_tenant as make_tenant
from talentos_core.testing.contract.builders.identity import make_user as make_user
from talentos_core.testing.contract.builders.identity import seed as seed
from talentos_core.testing.contract.builders.jobs import full_job as full_job
from talentos_core.testing.contract.builders.jobs import make_job as make_job
from talentos_core.testing.contract.builders.organisation import full_agency as full_agency
from talentos_core.testing.contract.builders.organisation import (
    full_integration as full_integration,
)
from talentos_core.testing.contract.builders.organisation import (
    full_subsidiary as full_subsidiary,
)
from talentos_core.testing.contract.builders.organisation import make_agency as make_agency
from talentos_core.testing.contract.builders.organisation import (
    make_integration as make_integration,
)
from talentos_core.testing.contract.builders.organisation import (
    make_subsidiary as make_subsidiary,
)
from talentos_core.testing.contract.builders.pipeline import full_candidate as full_candidate
from talentos_core.testing.contract.builders.pipeline import full_interview as full_interview
from talentos_core.testing.contract.builders.pipeline import full_offer as full_offer
from talentos_core.testing.contract.builders.pipeline import make_candidate as make_candidate
from talentos_core.testing.contract.builders.pipeline import make_interview as make_interview
from talentos_core.testing.contract.builders.pipeline import make_offer as make_offer
from talentos_core.testing.contract.builders.pipeline import seed_pipeline as seed_pipeline
from talentos_core.testing.contract.builders.trail import append as append
from talentos_core.testing.contract.builders.trail import full_event as full_event
from talentos_core.testing.contract.builders.trail import head_of as head_of
from talentos_core.testing.contract.builders.trail import make_event as make_event
from talentos_core.testing.contract.builders.trail import make_outbox as make_outbox
