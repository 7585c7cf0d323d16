{#- The staged rows of base_web__identifies, with the columns documented for this model
    (_web__models.yml). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_web__identifies') }}
where row_status = 'staged'
