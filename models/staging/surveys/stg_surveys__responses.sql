{#- The staged rows of base_surveys__responses, with the columns documented for this model
    (_surveys__models.yml). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_surveys__responses') }}
where row_status = 'staged'
