"""checkov custom checks for plans of the ironflux/influxdb3 provider (checkov `json` framework).

They read `resource_changes` of `terraform show -json tfplan`, the only part of plan JSON that
shows a token being revoked: checkov's `terraform_plan` framework reads `planned_values`, where
a destroyed token is simply absent. Run them with:

    checkov --compact --quiet --skip-download --framework json \
        --external-checks-dir examples/policy/checkov --check CKV_IFX3_1,CKV_IFX3_2 -f plan.json

`--compact` matters: without it checkov prints the failing "code block", which for plan JSON
is the whole plan, every access token included, into the CI log.

CKV_IFX3_1 fails a plan that revokes a token (destroy or replace: every change whose actions
include "delete") unless, as in the Rego policy, its description carried DESTROY_MARKER before
the plan and its deletion_protection was not true; the replacement of a placeholder the
provider keeps for a create whose outcome it could not tell (id "unsettled-create:...") passes,
since it revokes only a token whose access token reached nobody. The json framework prints no
check details, so the check's name lists the tokens it fails for. CKV_IFX3_2 fails a plan that
leaves a token with write on "*".
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.json_doc.base_json_check import BaseJsonCheck
from checkov.json_doc.enums import BlockType

# The rotating token's destroy or replacement revokes its tokens like a token's (its scheduled
# revocation of the previous token is an update, which these checks leave to the Rego policy).
TOKEN_TYPES = {"influxdb3_database_token", "influxdb3_rotating_database_token"}

# The Rego policy's destroy_marker (examples/policy/config.json); change both together.
DESTROY_MARKER = "[retire]"


def token_changes(conf):
    """The token entries of resource_changes."""
    if not isinstance(conf, list):
        return []
    return [rc for rc in conf if isinstance(rc, dict) and rc.get("type") in TOKEN_TYPES]


def unsettled_create(rc):
    """The placeholder of a create whose outcome was not known (its id names the receipt)."""
    before = (rc.get("change") or {}).get("before") or {}
    return str(before.get("id") or "").startswith("unsettled-create:")


def marked_for_retirement(rc):
    """The token's description carried the marker before this plan, and it was not protected."""
    before = (rc.get("change") or {}).get("before") or {}
    return DESTROY_MARKER in str(before.get("description") or "") and (
        before.get("deletion_protection") is not True
    )


def actions(rc):
    change = rc.get("change") or {}
    return change.get("actions") or []


REVOKED_NAME = f"Plan revokes an InfluxDB database token not marked {DESTROY_MARKER} (destroy or replace)"


class TokenRevoked(BaseJsonCheck):
    def __init__(self):
        super().__init__(
            name=REVOKED_NAME,
            id="CKV_IFX3_1",
            categories=[CheckCategories.IAM],
            supported_entities=["resource_changes"],
            block_type=BlockType.OBJECT,
        )

    def scan_entity_conf(self, conf, entity_type):
        revoked = sorted(
            str(rc.get("address"))
            for rc in token_changes(conf)
            if "delete" in actions(rc)
            and not unsettled_create(rc)
            and not marked_for_retirement(rc)
        )
        self.name = REVOKED_NAME
        if revoked:
            self.name = f"{REVOKED_NAME}: {', '.join(revoked)}"
            self.details.append("revokes: " + ", ".join(revoked))
            return CheckResult.FAILED
        return CheckResult.PASSED


class TokenWildcardWrite(BaseJsonCheck):
    def __init__(self):
        super().__init__(
            name="InfluxDB database token writes to every database (\"*\")",
            id="CKV_IFX3_2",
            categories=[CheckCategories.IAM],
            supported_entities=["resource_changes"],
            block_type=BlockType.OBJECT,
        )

    def scan_entity_conf(self, conf, entity_type):
        for rc in token_changes(conf):
            if not {"create", "update"} & set(actions(rc)):
                continue
            after = (rc.get("change") or {}).get("after") or {}
            for p in after.get("permissions") or []:
                if isinstance(p, dict) and p.get("action") == "write" and p.get("resource") == "*":
                    self.details.append(f"{rc.get('address')} writes to \"*\"")
                    return CheckResult.FAILED
        return CheckResult.PASSED


check_revoked = TokenRevoked()
check_wildcard_write = TokenWildcardWrite()
