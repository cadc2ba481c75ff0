"""``{% map_areas %}``: the shaded areas of ``core/_map.html``, written in Python."""

from types import SimpleNamespace

from django.template import Context, Template


def area(**values):
    return SimpleNamespace(
        **{"svg_path": "M0 0L1 1Z", "name": "Umeå", "shade": 2, "map_label": "3 initiativ"} | values
    )


def rendered(areas) -> str:
    return Template("{% load maps %}{% map_areas areas %}").render(Context({"areas": areas}))


def test_each_area_is_a_shaded_path_with_its_name_and_count():
    html = rendered([area(), area(name="Luleå", shade=0, map_label="Inte använd")])
    assert html == (
        '<path d="M0 0L1 1Z" class="shade-2"><title>Umeå: 3 initiativ</title></path>\n'
        '  <path d="M0 0L1 1Z" class="shade-0"><title>Luleå: Inte använd</title></path>'
    )


def test_an_area_with_an_address_is_a_link_and_one_without_a_boundary_is_left_out():
    html = rendered([area(map_url="/initiativ/?municipality=2480&county=24"), area(svg_path="")])
    assert html == (
        '<a href="/initiativ/?municipality=2480&amp;county=24"><path d="M0 0L1 1Z"'
        ' class="shade-2"><title>Umeå: 3 initiativ</title></path></a>'
    )


def test_names_labels_and_addresses_are_escaped():
    html = rendered(
        [area(name='<script>x</script>"', map_label="<b>1</b>", map_url='/" onclick="x')]
    )
    assert "<script>" not in html and "<b>" not in html
    assert 'href="/&quot; onclick=&quot;x"' in html
    assert "&lt;script&gt;x&lt;/script&gt;&quot;: &lt;b&gt;1&lt;/b&gt;" in html


def test_a_shade_that_is_not_a_number_cannot_reach_the_markup():
    try:
        rendered([area(shade='0" onload="x')])
    except ValueError:
        return
    raise AssertionError("a shade must be a number")
