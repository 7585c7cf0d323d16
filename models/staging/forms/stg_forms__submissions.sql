{#- The staged rows of base_forms__submissions, with the columns documented for this model
    (_forms__models.yml). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_forms__submissions') }}
where row_status = 'staged'
