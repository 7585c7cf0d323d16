"""The CRM source (raw_crm): users (sales reps), accounts, leads and opportunities, as SQL over `people`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadscore.generate.mess import RATES
from leadscore.generate.people import (COUNTRIES, FIRST_NAMES, INTERNAL_DOMAIN, LAST_NAMES, _company_country,
                                       _company_domain, _company_employees, _company_name, n_companies_for)
from leadscore.generate.sql import TRUTH, _pick


INDUSTRIES = ["Software", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Education",
              "Media", "Telecommunications", "Logistics", "Energy", "Government", "Consulting"]


LEAD_SOURCES = ["Web", "Web", "Web", "Organic Search", "Paid Search", "Event", "Referral", "Partner",
                "List Import", "Webinar"]
LEAD_STATUSES = ["Open", "Working", "Nurturing", "Qualified", "Unqualified"]
TERRITORIES = ["NA", "EMEA", "APAC", "LATAM"]
REPS_PER_TERRITORY = {"NA": 8, "EMEA": 6, "APAC": 4, "LATAM": 3}


class CrmSql:
    """SQL of the raw_crm tables (needs the SqlParts and MessSql)."""

    def owner_sql(self, territory: str, h: str) -> str:
        cases = []
        base = 0
        for t in TERRITORIES:
            n = REPS_PER_TERRITORY[t]
            cases.append(f"when '{t}' then {base} + ({h}) % {n}")
            base += n
        idx = f"(case {territory} {' '.join(cases)} else 0 end)"
        return f"'005' || lpad(cast({idx} as varchar), 12, '0') || 'AAA'"

    def users_sql(self) -> str:
        rows = []
        k = 0
        for t in TERRITORIES:
            for j in range(REPS_PER_TERRITORY[t]):
                fn, ln = FIRST_NAMES[(k * 7) % len(FIRST_NAMES)], LAST_NAMES[(k * 11) % len(LAST_NAMES)]
                name = f"{fn} {ln}".replace("'", "''")
                mail = f"{fn}.{ln}".lower().replace("'", "").replace(" ", "") + f"@{INTERNAL_DOMAIN}"
                rows.append(f"({k}, '{name}', '{mail}', '{t}', {'false' if j == REPS_PER_TERRITORY[t] - 1 and t == 'NA' else 'true'})")
                k += 1
        return f"""
        select
            '005' || lpad(cast(k as varchar), 12, '0') || 'AAA' as id,
            name, email, territory, is_active,
            timestamp '{self.start}' - to_days(cast(400 + k * 13 as bigint)) as created_date,
            timestamp '{self.start}' - to_days(cast(30 + k as bigint)) as last_modified_date,
            timestamp '{self.start}' - to_days(cast(30 + k as bigint)) + interval 1 hour as _loaded_at
        from (values {', '.join(rows)}) as t(k, name, email, territory, is_active)
        """

    def accounts_sql(self) -> str:
        leads = int(self.con.execute(f"select value from {TRUTH}.generation_params where key = 'leads'").fetchall()[0][0])
        n_companies = n_companies_for(leads)
        names = [_company_name(i) for i in range(n_companies)]
        domains = [_company_domain(i) for i in range(n_companies)]
        idx = np.arange(n_companies)
        df = pd.DataFrame({
            "company_idx": idx,
            "name": names,
            "domain": domains,
            "employees": _company_employees(idx),
            "country_idx": _company_country(idx),
        })
        df["billing_country"] = [COUNTRIES[c][1][0] for c in df["country_idx"]]
        df["territory"] = [COUNTRIES[c][4] for c in df["country_idx"]]
        self.con.register("companies_df", df)
        self.con.execute("create or replace temp table companies as select * from companies_df")
        self.con.unregister("companies_df")
        h = self.h("company_idx", "'acct'")
        return f"""
        with base as (
            select
                *,
                timestamp '{self.start}' - to_seconds(cast(({h}) % (1000 * 86400) as bigint)) as created_date
            from companies
        ),
        versions as (
            select base.*, v.version
            from base, (values (1), (2)) as v(version)
            where v.version = 1 or ({h} >> 8) % 100 < 5
        )
        select
            '001' || lpad(cast(company_idx as varchar), 12, '0') || 'AAA' as id,
            case when version = 1 and ({h} >> 8) % 100 < 5 then upper(name) else name end as name,
            'https://www.' || domain as website,
            {_pick(INDUSTRIES, f'{h} >> 16')} as industry,
            cast(case when ({h} >> 24) % 10 = 0 then null else employees end as integer) as number_of_employees,
            case when ({h} >> 28) % 10 = 0 then null else round(employees * (50000 + ({h} >> 32) % 200000), -3) end
                as annual_revenue,
            billing_country,
            {self.owner_sql('territory', f'{h} >> 36')} as owner_id,
            created_date,
            created_date + to_days(cast(version * 3 as bigint)) as last_modified_date,
            version = 2 and ({h} >> 40) % 100 < 20 as is_deleted,
            created_date + to_days(cast(version * 3 as bigint)) + interval 2 hour as _loaded_at
        from versions
        """

    def leads_sql(self) -> str:
        h = self.h("person_id", "'crm'")
        u = self.u("person_id", "'crm_email'")
        phone = (f"case ({h} >> 4) % 6 when 0 then null when 1 then '+1 (415) 555-' || lpad(cast(person_id % 10000 as varchar), 4, '0') "
                 f"when 2 then '415.555.' || lpad(cast(person_id % 10000 as varchar), 4, '0') "
                 f"when 3 then '+44 20 7946 ' || lpad(cast(person_id % 10000 as varchar), 4, '0') "
                 f"when 4 then '0049 30 ' || cast(1000000 + person_id % 9000000 as varchar) "
                 f"else '+1-212-555-' || lpad(cast(person_id % 10000 as varchar), 4, '0') end")
        company = (f"case when persona = 'internal' then {_pick(['Acme Analytics', 'Test Co', 'test'], f'{h} >> 8')} "
                   f"when persona = 'student' and ({h} >> 8) % 3 = 0 then 'Student' "
                   f"when ({h} >> 8) % 25 = 0 then upper(c.name) when ({h} >> 8) % 25 = 1 then c.name || ' ' "
                   f"else c.name end")
        title = (f"case when ({h} >> 12) % 20 = 0 then upper(title) when ({h} >> 12) % 20 = 1 then ' ' || title || ' ' "
                 f"when ({h} >> 12) % 20 = 2 then null else title end")
        custom = f"""
            case when ({h} >> 20) % 4 = 0 then round(1000 * (1 + ({h} >> 22) % 200), -2) end as budget__c,
            case when ({h} >> 24) % 5 < 2 then {_pick(['This quarter', 'Next quarter', 'This year', 'Just researching'], f'{h} >> 26')} end
                as purchase_timeline__c,
            case when ({h} >> 28) % 2 = 0 then {_pick(['Analytics Pro', 'Analytics Team', 'Enterprise', 'API'], f'{h} >> 30')} end
                as product_interest__c,
            cast(case when ({h} >> 32) % 5 = 0 then 1 + ({h} >> 34) % 50 end as integer) as seats_requested__c"""
        return f"""
        with records as (
            -- the primary record of every person, and a second record for some (same person, email variant)
            select p.*, false as is_dup, p.crm_id as id, p.created_at as rec_created
            from people as p
            union all
            select p.*, true as is_dup, p.crm_dup_id as id,
                p.created_at + to_seconds(cast(5 * 86400 + ({h} >> 40) % (55 * 86400) as bigint)) as rec_created
            from people as p
            where {self.u('person_id', "'dup'")} < {RATES['crm_duplicate_person']}
        ),
        versions as (
            -- version 1 when created; version 2 (a later edit) for some records
            select r.*, v.version
            from records as r, (values (1), (2)) as v(version)
            where v.version = 1 or {self.u('id', "'stale'")} < {RATES['crm_stale_version']}
        )
        select
            id,
            case when persona = 'internal' or ({h} >> 44) % 50 <> 0 then first_name else upper(first_name) end as first_name,
            last_name,
            case when is_dup then case ({h} >> 48) % 3 when 0 then '  ' || upper(email)
                 when 1 then upper(substr(email, 1, 1)) || substr(email, 2) || ' ' else ' ' || email || '  ' end
                 else {self.broken_email('email', u, f'{h} >> 2')} end as email,
            {phone} as phone,
            {company} as company,
            {title} as title,
            case when ({h} >> 14) % 20 = 0 then null else {_pick(INDUSTRIES, 'c.company_idx * 7')} end as industry,
            cast(case when ({h} >> 16) % 10 = 0 then null else p_employees end as integer) as number_of_employees,
            case when ({h} >> 18) % 8 = 0 then null else round(p_employees * (50000 + (c.company_idx * 7919) % 200000), -3) end
                as annual_revenue,
            country_typed as country,
            lead_source,
            case when version = 1 then 'Open' else {_pick(LEAD_STATUSES, f'{h} >> 36')} end as status,
            owner_id,
            case when has_social_handle and ({h} >> 38) % 5 <> 0
                 then case when ({h} >> 39) % 2 = 0 then handle else upper(substr(handle, 1, 2)) || substr(handle, 3) end end
                as social_handle,
            rec_created as created_date,
            case when version = 1 then rec_created
                 else rec_created + to_seconds(cast(3600 + ({h} >> 42) % (30 * 86400) as bigint)) end as last_modified_date,
            version = 2 and {self.u('id', "'del'")} < {RATES['soft_deleted'] / RATES['crm_stale_version']} as is_deleted,
            {custom},
            (case when version = 1 then rec_created
                  else rec_created + to_seconds(cast(3600 + ({h} >> 42) % (30 * 86400) as bigint)) end)
                + to_seconds(cast(600 + ({h} >> 46) % 7200 as bigint)) as _loaded_at
        from (select versions.*, employees as p_employees from versions) as r
        inner join companies as c on r.company_idx = c.company_idx
        """

    def opportunities_sql(self) -> str:
        h = self.h("person_id", "'opp'")
        return f"""
        with opps as (
            select p.*, v.version
            from people as p, (values (1), (2)) as v(version)
            where p.is_converted
        )
        select
            '006' || lpad(cast(person_id as varchar), 12, '0') || 'AAA' as id,
            c.name || ' - ' || {_pick(['New Business', 'Team Plan', 'Enterprise', 'Pilot'], f'{h}')} as name,
            account_id,
            case when ({h} >> 4) % 5 <> 0 then crm_id end as lead_id,
            case when ({h} >> 4) % 5 = 0 or ({h} >> 8) % 2 = 0 then {self.typed_email('email', f'{h} >> 12')} end
                as contact_email,
            case when version = 1 then {_pick(['Prospecting', 'Qualification', 'Proposal'], f'{h} >> 16')}
                 when is_won then 'Closed Won' else 'Closed Lost' end as stage_name,
            round(1000 * (5 + ({h} >> 20) % 95) * (case when opps.employees > 1000 then 4 else 1 end), -2) as amount,
            opportunity_created_at as created_date,
            cast(closed_at as date) as close_date,
            version = 2 as is_closed,
            version = 2 and is_won as is_won,
            owner_id,
            case when version = 1 then opportunity_created_at else closed_at end as last_modified_date,
            version = 2 and ({h} >> 28) % 100 = 0 as is_deleted,
            (case when version = 1 then opportunity_created_at else closed_at end) + interval 3 hour as _loaded_at
        from opps
        inner join companies as c on opps.company_idx = c.company_idx
        """
