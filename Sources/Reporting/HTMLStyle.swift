/// The stylesheet embedded in every HTML report: system fonts, a readable measure, zebra tables,
/// verdict colours paired with text. It contains no `<` or `&`, so the page stays well-formed XML.
enum HTMLStyle {
    static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f3f4f6; color: #1f2328;
      font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1100px; margin: 0 auto; padding: 36px 48px 72px; background: #ffffff; min-height: 100vh; }
    header { margin-bottom: 1.6em; }
    h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 0.25em; }
    .subtitle { color: #57606a; font-size: 1.05rem; margin: 0; }
    h2 { font-size: 1.4rem; line-height: 1.3; margin: 2.2em 0 0.7em; padding-bottom: 0.3em; border-bottom: 1px solid #d8dee4; }
    h3 { font-size: 1.15rem; margin: 1.8em 0 0.6em; }
    h4, h5, h6 { font-size: 1rem; margin: 1.5em 0 0.5em; }
    p, ul { margin: 0.6em 0 1em; }
    li { margin: 0.2em 0; }
    a { color: #0a58ca; }
    code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
    code { background: #eff1f3; padding: 0.1em 0.35em; border-radius: 4px; }
    pre { background: #f6f8fa; border: 1px solid #d8dee4; border-radius: 6px; padding: 12px 16px; overflow-x: auto; line-height: 1.45; }
    pre code { background: none; padding: 0; font-size: 1em; }
    nav.toc { width: fit-content; min-width: 280px; max-width: 100%; background: #f6f8fa; border: 1px solid #d8dee4; border-radius: 6px; padding: 10px 28px 10px 22px; margin: 0 0 2em; }
    nav.toc .toc-title { font-weight: 600; margin: 0.3em 0; }
    nav.toc ol { margin: 0.2em 0 0.4em; padding-left: 1.4em; }
    .table-wrap { overflow-x: auto; margin: 1em 0 1.6em; }
    table { border-collapse: collapse; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
    caption { caption-side: top; text-align: left; color: #424a53; padding-bottom: 0.4em; }
    th, td { border: 1px solid #d0d7de; padding: 6px 11px; text-align: left; vertical-align: top; }
    th { background: #eceff3; font-weight: 600; }
    tbody tr:nth-child(even) { background: #f8f9fa; }
    .al-right { text-align: right; }
    .al-center { text-align: center; }
    td.tone-pass { background: #dcf5e3; color: #0f5132; }
    td.tone-fail { background: #fbdcdc; color: #842029; font-weight: 600; }
    td.tone-warn { background: #fff0c2; color: #664d03; }
    .mark { font-weight: 700; margin-right: 0.3em; }
    figure { margin: 1.6em 0 2.2em; }
    figure svg { display: block; width: 100%; max-width: 880px; height: auto; border: 1px solid #e3e6ea; border-radius: 6px; }
    figcaption { color: #424a53; font-size: 0.93rem; margin-top: 0.6em; max-width: 880px; }
    figcaption .note { color: #6e7781; }
    dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; font-size: 0.92rem; margin: 0.8em 0 1.4em; }
    dl.provenance dt { font-weight: 600; color: #424a53; }
    dl.provenance dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
    @media (max-width: 700px) { main { padding: 20px 16px 48px; } }
    @media print { body { background: #ffffff; } main { padding: 0; max-width: none; } figure { break-inside: avoid; } }
    """
}
