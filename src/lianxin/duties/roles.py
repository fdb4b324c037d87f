"""Duties add no roles. Staff roles see plans, obligations and logs in their subtree; a carer sees their own
plans and obligations (and the logs of their plans) through ``involvement_q`` on the models."""

from lianxin.core.roles import allow

MODELS = ("duties.plan", "duties.obligation", "duties.dutylog")

for role in ("community_staff", "town_staff", "county_staff", "org_department", "administrator"):
    for model in MODELS:
        allow(role, model, "view")
