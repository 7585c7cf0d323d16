{#- Heuristic (regex via macro regex_matches of macros/staging): does the name in `expression`
    look like keyboard mashing rather than a real name? True when the lower-cased name (letters
    only counted) has at least 4 characters and
    - contains a run of adjacent keys of one keyboard row (4 keys; 5 on the top row, where 4-key
      runs such as "erty" occur in real names like Doherty), forwards or backwards, or
    - has no vowel (a, e, i, o, u, y) at all, or
    - has 6 or more consonants in a row (real names rarely exceed 5: "Nietzsche" has 5). Null
      names give false. -#}
{% macro is_keyboard_mash(expression) -%}
    {%- set name = "lower(trim(" ~ expression ~ "))" -%}
    {%- set rows = [('qwertyuiop', 5), ('asdfghjkl', 4), ('zxcvbnm', 4)] -%}
    {%- set runs = [] -%}
    {%- for row, size in rows -%}
        {%- for start in range(row | length - size + 1) -%}
            {%- set run = row[start:start + size] -%}
            {%- do runs.append(run) -%}
            {%- do runs.append(run | reverse | join('')) -%}
        {%- endfor -%}
    {%- endfor -%}
    coalesce(
        length({{ name }}) >= 4
        and (
            {{ regex_matches(name, '(' ~ (runs | join('|')) ~ ')') }}
            or not {{ regex_matches(name, '[aeiouy]') }}
            or {{ regex_matches(name, '[bcdfghjklmnpqrstvwxz]{6}') }}
        ),
        false
    )
{%- endmacro %}
