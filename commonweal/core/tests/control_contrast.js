() => {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  const controls = "a, button, label, summary, input, select, textarea";
  for (const el of document.querySelectorAll(controls)) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (!el.textContent.trim() && !["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) continue;
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
    if (el.closest(".visually-hidden, .skip-link") || el.type === "hidden") continue;
    const fg = rgb(style.color).slice(0, 3), bg = behind(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio >= (large ? 3 : 4.5)) continue;
    const text = el.textContent.trim().slice(0, 40);
    failures.push(`${el.tagName.toLowerCase()} "${text}" ${ratio.toFixed(2)}:1`);
  }
  return failures;
}
