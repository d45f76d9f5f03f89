"""The evidence map: benefit x approach and benefit x study design, clickable.

Like 3ie's evidence gap maps: every benefit label links to its page, and
every non-empty cell links to the part of that page behind the count (the
approach or study design, with its examples). The counts come from
``improvement_evidence.gap_matrix``; empty cells are the gaps. On a phone the
same tables become one card per benefit listing its non-empty cells.

The page keeps the overview figure (examples and figures per benefit, drawn
with matplotlib as deterministic SVG) with its alt text and the table behind it.
"""

from __future__ import annotations

import io
import textwrap

import pandas as pd

from .evidence_pages import benefit_page_path
from .markup import BANNER, esc, href, html_table, link
from .read import Package

PAGE = "evidence-map.md"
FIGURE = "assets/evidence-map.svg"
# Columns of the ratings table that hold the strength-of-evidence level, in order of preference.
RATING_COLUMNS = ("confidence", "rating", "strength")


# -- clickable matrices --------------------------------------------------------------------------


def matrix_table(pkg: Package, cols: str, vocab: str, key: str, anchor: str, caption: str) -> str:
    """One gap matrix as a table: benefits down the side (grouped by area), ``cols`` across."""
    m = pkg.gap_matrix("benefit", cols)
    labels = dict(zip(pkg.data[vocab][key].astype("string"), pkg.data[vocab]["label"].astype("string")))
    benefits = pkg.data["benefits"]
    areas = pkg.data["areas"].sort_values("order")
    col_ids = [str(c) for c in m.columns]
    head = ['<th scope="col" class="ie-map__corner">Benefit</th>'] + [
        f'<th scope="col" class="ie-map__col"><span>{esc(labels.get(c, c))}</span></th>' for c in col_ids]
    out = [f'<div class="ie-map-wrap"><table class="ie-map" id="map-{esc(cols)}">',
           f"<caption>{esc(caption)}</caption>",
           f"<thead><tr>{''.join(head)}</tr></thead>"]
    for a in areas.to_dict("records"):
        out.append(f'<tbody><tr class="ie-map__area"><th scope="rowgroup" colspan="{len(col_ids) + 1}">{esc(str(a["label"]))}</th></tr>')
        rows = benefits[benefits["area_id"].astype("string") == a["area_id"]].sort_values("order")
        for b in rows.to_dict("records"):
            bid = str(b["benefit_id"])
            page = benefit_page_path(bid)
            cells = [f'<th scope="row" class="ie-map__benefit">{link(href(PAGE, page), str(b["heading"]))}</th>']
            for c in col_ids:
                n = m.loc[bid, c] if bid in m.index else 0
                n = 0 if pd.isna(n) else int(n)
                label = labels.get(c, c)
                if n:
                    title = f"{n} example{'s' if n != 1 else ''}: {b['heading']} × {label}"
                    cells.append(f'<td class="ie-map__cell ie-map__cell--{min(n, 4)}" data-label="{esc(label)}">'
                                 f'<a href="{esc(href(PAGE, page, f"{anchor}-{c}"))}" title="{esc(title)}">{n}</a></td>')
                else:
                    cells.append(f'<td class="ie-map__cell ie-map__zero" data-label="{esc(label)}"></td>')
            if not any("ie-map__zero" not in c for c in cells[1:]):
                cells.append('<td class="ie-map__none">none of the guide\'s examples for this benefit</td>')
            out.append(f"<tr>{''.join(cells)}</tr>")
        out.append("</tbody>")
    out.append("</table></div>")
    return "\n".join(out)


# -- the overview figure -------------------------------------------------------------------------


def evidence_frame(pkg: Package) -> tuple[pd.DataFrame, str | None]:
    """One row per benefit (areas and benefits in the guide's order) with the
    number of examples and figures behind it, and its rating where rated.

    Returns the frame and the name of the rating column (None when unrated).
    """
    ds = pkg.data
    areas = ds["areas"][["area_id", "label", "order"]].rename(columns={"label": "area", "order": "area_order"})
    benefits = ds["benefits"][["benefit_id", "area_id", "heading", "order"]]
    frame = benefits.merge(areas, on="area_id", how="left").sort_values(["area_order", "order"], kind="stable")
    n_examples = ds["example_benefits"].groupby("benefit_id", observed=True)["example_id"].nunique()
    metrics = ds["metrics"]
    reported = metrics["reported_in"].astype("string")
    n_guide = metrics[reported == "guide"].groupby("benefit_id")["metric_id"].count()
    n_primary = metrics[reported == "primary-source"].groupby("benefit_id")["metric_id"].count()
    out = pd.DataFrame({"area": frame["area"].to_numpy(), "benefit_id": frame["benefit_id"].to_numpy(),
                        "benefit": frame["heading"].to_numpy()})
    for col, counts in (("examples", n_examples), ("guide figures", n_guide), ("primary-source figures", n_primary)):
        out[col] = out["benefit_id"].map(counts).fillna(0).astype("int64")
    rating_col = None
    if "evidence_ratings" in ds:
        ratings = ds["evidence_ratings"]
        rating_col = next((c for c in RATING_COLUMNS if c in ratings.columns), None)
        if rating_col is not None:
            out[rating_col] = out["benefit_id"].map(dict(zip(ratings["benefit_id"], ratings[rating_col].astype("string"))))
            out[rating_col] = out[rating_col].astype("string").fillna("")
    return out, rating_col


def _rating_levels(pkg: Package, rating_col: str, values) -> list[str]:
    dtype = pkg.data["evidence_ratings"][rating_col].dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return [str(c) for c in dtype.categories]
    return sorted({v for v in values if v})


def evidence_svg(pkg: Package, frame: pd.DataFrame, rating_col: str | None) -> str:
    """The overview figure as deterministic SVG text (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    rc = {
        "svg.hashsalt": "improvement-evidence",  # fixed ids, so the SVG is reproducible
        "svg.fonttype": "path",  # glyphs as paths: no font is fetched or needed
        "font.family": "DejaVu Sans",
        "font.size": 9,
    }
    header_rows, rows, y = [], [], 0
    for area, group in frame.groupby("area", sort=False):
        header_rows.append((y, area))
        y += 1
        for _, r in group.iterrows():
            rows.append((y, r))
            y += 1
    with matplotlib.rc_context(rc):
        fig, (ax1, ax2) = plt.subplots(1, 2, sharey=True, figsize=(8, 0.42 * y + 1.2))
        levels = _rating_levels(pkg, rating_col, frame[rating_col]) if rating_col else []
        palette = ["#08306b", "#2171b5", "#6baed6", "#c6dbef", "#f7fbff"]  # colour-blind-safe blues
        colour = {lvl: palette[min(i, len(palette) - 1)] for i, lvl in enumerate(levels)}
        unrated = "#bdbdbd"
        for yy, r in rows:
            c = colour.get(r[rating_col], unrated) if rating_col else "#2171b5"
            ax1.barh(yy, r["examples"], color=c, edgecolor="#333333", linewidth=0.4, height=0.7)
            if r["examples"] == 0 and rating_col:
                ax1.barh(yy, 0.08, color=c, edgecolor="#333333", linewidth=0.4, height=0.7)
            ax1.text(max(r["examples"], 0.08) + 0.1, yy, str(r["examples"]), va="center", fontsize=8)
            g, p = r["guide figures"], r["primary-source figures"]
            ax2.barh(yy, g, color="#4d4d4d", height=0.7)
            ax2.barh(yy, p, left=g, color="#e08214", height=0.7)
            ax2.text(g + p + 0.1, yy, f"{g} + {p}" if p else str(g), va="center", fontsize=8)
        ticks = [yy for yy, _ in header_rows] + [yy for yy, _ in rows]
        names = [a.upper() for _, a in header_rows] + [textwrap.fill(r["benefit"], 46) for _, r in rows]
        ax1.set_yticks(ticks, names, fontsize=8)
        for lab in ax1.get_yticklabels()[: len(header_rows)]:
            lab.set_fontweight("bold")
        ax1.set_ylim(y - 0.5, -0.6)
        for ax in (ax1, ax2):
            ax.tick_params(axis="y", length=0)
        xmax1 = max(1, int(frame["examples"].max()))
        xmax2 = max(1, int((frame["guide figures"] + frame["primary-source figures"]).max()))
        ax1.set_xlim(0, xmax1 * 1.15 + 0.5)
        ax2.set_xlim(0, xmax2 * 1.2 + 0.8)
        ax1.set_title("Examples cited", loc="left", fontsize=10, fontweight="bold")
        ax2.set_title("Figures stated", loc="left", fontsize=10, fontweight="bold")
        for ax in (ax1, ax2):
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
            ax.spines[["top", "right"]].set_visible(False)
            ax.grid(axis="x", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
        below = {"loc": "upper left", "bbox_to_anchor": (0, -0.45 / (0.42 * y)), "frameon": False, "fontsize": 8, "title_fontsize": 8}
        fig_handles = [Patch(color="#4d4d4d", label="stated in the guide"), Patch(color="#e08214", label="stated in a primary source")]
        ax2.legend(handles=fig_handles, title="Figures", alignment="left", **below)
        if rating_col:
            handles = [Patch(facecolor=colour[lvl], edgecolor="#333333", linewidth=0.4, label=lvl) for lvl in levels]
            handles.append(Patch(facecolor=unrated, edgecolor="#333333", linewidth=0.4, label="not rated"))
            ax1.legend(handles=handles, title="Strength of evidence", alignment="left", ncols=2, **below)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.1,
                    metadata={"Date": None, "Creator": "docs_build (matplotlib)"})
        plt.close(fig)
    svg = buf.getvalue()
    head, sep, rest = svg.partition(">\n <metadata>")
    if sep:
        svg = head + ">\n <title>Evidence map: examples and figures behind each benefit in the guide</title>\n <metadata>" + rest
    return svg


def alt_text(frame: pd.DataFrame, rating_col: str | None) -> str:
    """Alt text for the overview figure, written from the numbers it shows."""
    n_areas = frame["area"].nunique()
    top = frame.sort_values("examples", ascending=False, kind="stable").iloc[0]
    none = int((frame["examples"] == 0).sum())
    text = (
        f"Two bar charts of the guide's {len(frame)} benefits, grouped by its {n_areas} areas. "
        f"Left: the number of examples the guide cites for each benefit, from {int(frame['examples'].min())} "
        f"to {int(frame['examples'].max())} (most: {top['benefit']}, {int(top['examples'])})"
        + (f"; {none} benefits have none" if none else "")
        + ". Right: the number of figures stated for each benefit, in the guide and in primary sources "
        f"({int(frame['guide figures'].sum())} and {int(frame['primary-source figures'].sum())} in all). "
    )
    if rating_col:
        text += f"Left bars are shaded by strength of evidence ({rating_col}). "
    return text + "The table below the figure gives the same numbers."


def area_only_figures(pkg: Package) -> pd.DataFrame:
    metrics = pkg.data["metrics"]
    areas = pkg.data["areas"].sort_values("order")
    loose = metrics[metrics["benefit_id"].isna()]
    reported = loose["reported_in"].astype("string")
    out = pd.DataFrame({"area": areas["label"].to_numpy(), "area_id": areas["area_id"].to_numpy()})
    out["guide figures"] = out["area_id"].map(loose[reported == "guide"].groupby("area_id")["metric_id"].count()).fillna(0).astype("int64")
    out["primary-source figures"] = out["area_id"].map(loose[reported == "primary-source"].groupby("area_id")["metric_id"].count()).fillna(0).astype("int64")
    out = out[(out["guide figures"] + out["primary-source figures"]) > 0]
    return out.drop(columns=["area_id"]).reset_index(drop=True)


def numbers_table(frame: pd.DataFrame) -> str:
    """The table behind the figure, each benefit linked to its page."""
    shown = frame.drop(columns=["benefit_id"])
    table = html_table(shown, numeric={"examples", "guide figures", "primary-source figures"})
    for bid, heading in zip(frame["benefit_id"], frame["benefit"]):
        cell = f"<td>{esc(str(heading))}</td>"
        table = table.replace(cell, f"<td>{link(href(PAGE, benefit_page_path(str(bid))), str(heading))}</td>", 1)
    return table.replace("<table>", '<table class="ie-plain">', 1)


def page(pkg: Package) -> dict[str, str]:
    """The map page and its figure: path relative to docs/ -> text."""
    frame, rating_col = evidence_frame(pkg)
    alt = alt_text(frame, rating_col).replace("[", "(").replace("]", ")")
    n = len(frame)
    approaches = matrix_table(pkg, "approach", "approaches", "approach_id", "approach",
                              "Examples behind each benefit, by the improvement approach they use")
    designs = matrix_table(pkg, "design", "study_designs", "design_id", "design",
                           "Examples behind each benefit, by the design of their confirmed evaluations (strongest first)")
    rated = (f"Bars on the left are shaded by each benefit's strength of evidence (`{rating_col}` in "
             "[evidence_ratings](tables/evidence_ratings.md); the rules are in [Methods](methods.md#strength-of-evidence-rules)).")
    area_only = area_only_figures(pkg)
    out = [
        "---\nhide:\n  - navigation\n  - toc\n---\n",
        BANNER,
        "# Evidence map\n",
        f"The guide's {n} benefits against the improvement approaches its examples use, and against the designs of "
        "the evaluations behind them. A number is how many of the guide's examples for that benefit fall in the cell; "
        "select it to see them on the benefit's page. Select a benefit for its full evidence. Empty cells are gaps. "
        "Counts come from `improvement_evidence.gap_matrix()`.\n",
        '<p class="ie-jump"><a href="#map-approach">By approach</a> · <a href="#map-design">By study design</a> · '
        '<a href="#overview">Examples and figures per benefit</a></p>\n',
        "## By improvement approach {#by-approach}\n",
        approaches + "\n",
        "## By study design {#by-design}\n",
        "Only evaluations whose source record was seen count ([methods](methods.md#which-evaluations-count)); "
        "designs run from the strongest (randomised trials) to the weakest.\n",
        designs + "\n",
        "A count is not a measure of strength: one randomised evaluation outweighs several case reports. "
        "Read the counts with the [methods](methods.md) and the verification status of each figure.\n",
        "## Examples and figures per benefit {#overview}\n",
        rated + "\n",
        f'<figure markdown="span">\n  ![{alt}]({FIGURE}){{ width="100%" }}\n  '
        "<figcaption>Examples and figures behind each benefit, by area; “4 + 6” means 4 figures stated in the guide "
        f"and 6 in primary sources (version {pkg.version}).</figcaption>\n</figure>\n",
        "### The numbers behind the figure\n",
        numbers_table(frame) + "\n",
    ]
    if len(area_only):
        out += ["Figures stated in an area's introduction rather than under one benefit (not in the chart above):\n",
                html_table(area_only, numeric={"guide figures", "primary-source figures"}) + "\n"]
    out += [
        "## Reproduce it\n",
        "```python\nimport improvement_evidence as ie\n\n"
        "by_approach = ie.gap_matrix(\"benefit\", \"approach\")\n"
        "by_design = ie.gap_matrix(\"benefit\", \"design\")\n```\n",
    ]
    return {PAGE: "\n".join(out), FIGURE: evidence_svg(pkg, frame, rating_col)}
