{#- The staged rows of base_email__campaigns, with the columns documented for this model
    (_email__models.yml). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_email__campaigns') }}
where row_status = 'staged'
