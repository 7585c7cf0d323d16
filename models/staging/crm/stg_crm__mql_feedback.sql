{#- The staged rows of base_crm__mql_feedback, with the columns documented for this model
    (_crm__models.yml). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_crm__mql_feedback') }}
where row_status = 'staged'
