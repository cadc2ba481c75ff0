import datetime
from decimal import Decimal

from hjulet.impact import services
from hjulet.impact.models import Indicator, SroiAnalysis


def make_indicator(actor, initiative, **fields) -> Indicator:
    defaults = {
        "name": "Barn som lånar utrustning",
        "unit": "barn",
        "direction": "higher",
        "baseline_value": Decimal(100),
        "baseline_date": datetime.date(2025, 1, 1),
        "target_value": Decimal(200),
        "target_date": datetime.date(2027, 1, 1),
        "data_source": "Utlåningsregistret",
    }
    return services.indicator_create(actor=actor, initiative=initiative, **{**defaults, **fields})


def make_analysis(actor, initiative, **fields) -> SroiAnalysis:
    """The hand-calculated case of lib/tests/test_sroi.py, discounted at 0 %: inputs 1 000,
    present value 1 500, ratio 1.5."""
    analysis = services.analysis_create(
        actor=actor,
        initiative=initiative,
        **{"title": "SROI 2025", "discount_rate": Decimal(0), **fields},
    )
    services.input_create(
        actor=actor, analysis=analysis, stakeholder="Kommunen", description="Bidrag", value=1000
    )
    services.outcome_create(
        actor=actor,
        analysis=analysis,
        stakeholder="Deltagare",
        name="Fler i arbete",
        quantity=Decimal(4),
        proxy_value=Decimal(500),
        proxy_source="SCB, lönestatistik",
        duration=2,
        deadweight=Decimal(50),
        drop_off=Decimal(50),
    )
    return analysis


def outcome_form(**changes: str) -> dict[str, str]:
    """The SROI outcome form of ``make_analysis``'s outcome as a person sends it, deadweight
    and the other deductions at 0, with ``changes`` over it."""
    return {
        "stakeholder": "Deltagare",
        "name": "Fler i arbete",
        "quantity": "4",
        "duration": "2",
        "proxy_value": "500",
        "proxy_source": "SCB",
        "deadweight": "0",
        "displacement": "0",
        "attribution": "0",
        "drop_off": "50",
        **changes,
    }


def publish(initiative, publish: bool = True):
    """Publish (or withdraw) the report as an administrator of the lead organisation, who
    speaks for it (named editors prepare the report but do not publish it)."""
    from hjulet.accounts.models import Membership, MembershipRole

    admin = (
        Membership.objects.filter(
            role=MembershipRole.ADMIN,
            organisation__partnerships__initiative=initiative,
            organisation__partnerships__role="lead",
        )
        .select_related("user")
        .first()
        .user
    )
    return services.report_publish(actor=admin, initiative=initiative, publish=publish)
