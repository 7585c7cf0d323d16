{#- dbt's ref, plus one dependency: every model under models/marts/ also depends on
    int_build_inputs_checked, the node that checks every seed and var. So a bad seed or var skips every
    mart and the marts stay consistent with each other (all from the last good run) instead of some
    being rebuilt while others are skipped. Nothing else changes: the relation returned is dbt's. -#}
{% macro ref() -%}
    {%- set version = kwargs.get('version') or kwargs.get('v') -%}
    {%- if varargs | length == 2 -%}
        {%- set relation = builtins.ref(varargs[0], varargs[1], version=version) -%}
    {%- else -%}
        {%- set relation = builtins.ref(varargs[0], version=version) -%}
    {%- endif -%}
    {%- if model is defined and model is mapping and model.get('resource_type') == 'model'
          and (model.get('fqn') or [])[1:2] == ['marts'] -%}
        {%- do builtins.ref('int_build_inputs_checked') -%}
    {%- endif -%}
    {{- return(relation) -}}
{%- endmacro %}
