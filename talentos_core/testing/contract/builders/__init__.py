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
from talentos_core.testing.contract.builders.trail import append as append
from talentos_core.testing.contract.builders.trail import full_event as full_event
from talentos_core.testing.contract.builders.trail import head_of as head_of
from talentos_core.testing.contract.builders.trail import make_event as make_event
from talentos_core.testing.contract.builders.trail import make_outbox as make_outbox
