{#- The staged rows of base_web__events, with the columns documented for this model
    (_web__models.yml). A view: the typing, validation, dedupe and enrichment are done once,
    incrementally, in base_web__events; this only keeps its staged rows (no window, no join per
    consumer). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_web__events') }}
where row_status = 'staged'
