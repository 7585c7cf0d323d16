"""The sales feedback source (raw_crm.mql_feedback): reps' dispositions on MQLs, as SQL over `people`.

The generator cannot run dbt, so "this lead became an MQL" is approximated from the behaviour it drew: a demo
request with a pricing-page view, a trial with three onboarding steps, or five pricing-page views (`MQL_LIKE`:
about 15% of people, as many as rule set v1 makes MQLs within a month of their first touch); 85% of those
people get a disposition 3-27 days after their first touch, from the owner of their lead. What the rep
decides follows the latent model (people.py):
- spammers and internal test leads: rejected as spam;
- latent fit (persona effect + head count + email domain, the fit terms of the true model) below
  `BAD_FIT_BELOW`: rejected as bad_fit (85%; the others as no_budget);
- the others: accepted with probability sigmoid(ACCEPT_INTERCEPT + ACCEPT_INTENT * intent + ACCEPT_FIT * fit),
  else rejected as wrong_timing (intent below 0) or no_budget;
- a person's second CRM record (a duplicate, see crm.py) is rejected as duplicate a day after the later of its
  creation and the first disposition.
Some rejections for wrong_timing are revised to accepted a week later (a second version, newer
last_modified_date). All randomness is a hash of the seed and the person, so the other tables are unchanged
and `--append-day` writes the dispositions loaded that day."""

from __future__ import annotations

from leadscore.generate.mess import RATES
from leadscore.generate.people import PERSONA_EFFECT, PERSONAS, WEIGHTS

DISPOSITIONS = ("accepted", "rejected")
REJECTION_REASONS = ("bad_fit", "no_budget", "wrong_timing", "spam", "duplicate")
MQL_LIKE = ("(demo_requested and n_pv_pricing >= 1) or (trial_started and onboarding_steps >= 3) "
            "or n_pv_pricing >= 5")
DISPOSED_SHARE = 0.85      # of MQL-like people: the share a rep dispositions
BAD_FIT_BELOW = -0.5       # latent fit below which a rep sees a bad fit
BAD_FIT_SHARE = 0.85       # of those: rejected as bad_fit (the others as no_budget)
ACCEPT_INTERCEPT, ACCEPT_INTENT, ACCEPT_FIT = -0.5, 1.2, 1.0
REVISED_SHARE = 0.2        # of wrong_timing rejections: accepted a week later


def latent_fit_sql() -> str:
    """The fit terms of the true log-odds (people._true_logit): persona, head count, email domain."""
    persona = " ".join(f"when '{p}' then {e}" for p, e in zip(PERSONAS, PERSONA_EFFECT))
    return (f"(case persona {persona} else 0 end"
            f" + {WEIGHTS['log_employees']} * (log10(greatest(employees, 1)) - 2)"
            f" + case domain_kind when 'free_mail' then {WEIGHTS['free_mail']}"
            f" when 'disposable' then {WEIGHTS['disposable']} else 0 end)")


class FeedbackSql:
    """SQL of raw_crm.mql_feedback (needs the SqlParts)."""

    def mql_feedback_sql(self) -> str:
        u = lambda salt: self.u("person_id", f"'{salt}'")  # noqa: E731 - a uniform per person and salt
        h = self.h("person_id", "'fb'")
        accept = f"1 / (1 + exp(-({ACCEPT_INTERCEPT} + {ACCEPT_INTENT} * intent + {ACCEPT_FIT} * latent_fit)))"
        crm_h = self.h("person_id", "'crm'")  # the duplicate record's creation time, as crm.py draws it
        dup_created = f"created_at + to_seconds(cast(5 * 86400 + ({crm_h} >> 40) % (55 * 86400) as bigint))"
        return f"""
        with mqls as (
            select
                *,
                {latent_fit_sql()} as latent_fit,
                greatest(created_at, first_touch_at + to_seconds(cast(3 * 86400 + ({h}) % (24 * 86400) as bigint)))
                    as disposed_at
            from people
            where ({MQL_LIKE}) and {u('fb_disposed')} < {DISPOSED_SHARE}
        ),
        decided as (
            select
                *,
                case
                    when persona in ('spammer', 'internal') then 'spam'
                    when latent_fit < {BAD_FIT_BELOW} then
                        case when {u('fb_bad_fit')} < {BAD_FIT_SHARE} then 'bad_fit' else 'no_budget' end
                    when {u('fb_accept')} < {accept} then null
                    when intent < 0 then 'wrong_timing'
                    else 'no_budget'
                end as reason
            from mqls
        ),
        versions as (
            select crm_id as lead_id, 'fb_' || person_id as id, owner_id, reason, disposed_at,
                disposed_at as modified_at, h
            from (select *, {h} as h from decided) as d
            union all
            -- a rejection for wrong timing revised to accepted a week later
            select crm_id, 'fb_' || person_id, owner_id, null, disposed_at + interval 7 day,
                disposed_at + interval 7 day, {h}
            from decided
            where reason = 'wrong_timing' and {u('fb_revised')} < {REVISED_SHARE}
            union all
            -- the person's duplicate CRM record
            select crm_dup_id, 'fb_' || person_id || '_dup', owner_id, 'duplicate',
                greatest({dup_created}, disposed_at) + interval 1 day,
                greatest({dup_created}, disposed_at) + interval 1 day, {h}
            from decided
            where {self.u('person_id', "'dup'")} < {RATES['crm_duplicate_person']}
        )
        select
            id,
            lead_id,
            owner_id,
            -- 5% in the CRM's display case (Rejected, Bad fit): staging normalises it
            case when (h >> 8) % 20 = 0 then case when reason is null then 'Accepted' else 'Rejected' end
                 when reason is null then 'accepted' else 'rejected' end as disposition,
            case when reason is not null and (h >> 8) % 20 = 0
                 then upper(substr(reason, 1, 1)) || replace(substr(reason, 2), '_', ' ')
                 else reason end as rejection_reason,
            disposed_at,
            modified_at as last_modified_date,
            modified_at + to_seconds(cast(600 + (h >> 16) % 3600 as bigint)) as _loaded_at
        from versions
        """
