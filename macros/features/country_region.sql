{#- Sales region of an ISO-2 country code (upper case): na, latam, emea, apac; 'unknown' when null,
    'other' when the code is not listed. The regions match the CRM users' territories. -#}
{% macro country_region(expression) -%}
    {%- set regions = {
        'na': [
            'US', 'CA', 'PR'
        ],
        'latam': [
            'MX', 'BR', 'AR', 'CL', 'CO', 'PE', 'UY', 'PY', 'BO', 'EC', 'VE', 'CR', 'PA',
            'GT', 'DO', 'SV', 'HN', 'NI', 'CU', 'JM', 'TT'
        ],
        'emea': [
            'GB', 'UK', 'IE', 'DE', 'FR', 'ES', 'PT', 'IT', 'NL', 'BE', 'LU', 'CH', 'AT',
            'DK', 'SE', 'NO', 'FI', 'IS', 'PL', 'CZ', 'SK', 'HU', 'RO', 'BG', 'GR', 'HR',
            'SI', 'RS', 'EE', 'LV', 'LT', 'UA', 'TR', 'IL', 'AE', 'SA', 'QA', 'KW', 'BH',
            'OM', 'EG', 'MA', 'TN', 'NG', 'KE', 'GH', 'ZA', 'CY', 'MT'
        ],
        'apac': [
            'AU', 'NZ', 'JP', 'KR', 'CN', 'HK', 'TW', 'SG', 'MY', 'TH', 'VN', 'PH', 'ID',
            'IN', 'PK', 'BD', 'LK'
        ],
    } -%}
    case
        when {{ expression }} is null then 'unknown'
        {%- for region, codes in regions.items() %}
        when {{ expression }} in ('{{ codes | join("', '") }}') then '{{ region }}'
        {%- endfor %}
        else 'other'
    end
{%- endmacro %}
