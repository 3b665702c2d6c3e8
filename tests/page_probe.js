// What a reader would see wrong on a page, as functions run in Chromium (tests/site_support.py, probe): each returns
// the problems it finds; PAGE_PROBE, last, runs them all. A name between at signs is a limit set in site_support.py.

// Every chart's static drawing that shows: each text's size as rendered (its font size times the SVG's scale), the
// smallest of them at least MIN_CHART_TEXT_PX, and every text inside its drawing and the drawing inside the window.
const CHART_TEXT = () => {
    const problems = [], sizes = {};
    for (const chart of document.querySelectorAll("figure.chart")) {
        for (const svg of chart.querySelectorAll(".chart__static svg")) {
            const box = svg.getBoundingClientRect();
            if (!box.width || getComputedStyle(svg).visibility === "hidden") continue;
            let smallest = Infinity;
            for (const text of svg.querySelectorAll("text")) {
                if (!text.textContent.trim()) continue;
                const matrix = text.getScreenCTM();
                const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
                smallest = Math.min(smallest, size);
                const drawn = text.getBoundingClientRect();
                if (drawn.left < box.left - 1 || drawn.right > box.right + 1 || drawn.top < box.top - 1
                    || drawn.bottom > box.bottom + 1) {
                    problems.push(`chart ${chart.id}: text "${text.textContent}" drawn outside the chart`);
                }
            }
            sizes[chart.id] = Math.min(sizes[chart.id] ?? Infinity, smallest);
            if (smallest < @MIN_CHART_TEXT_PX@) {
                problems.push(`chart ${chart.id}: text drawn at ${smallest.toFixed(1)} px, under @MIN_CHART_TEXT_PX@ px`);
            }
            if (box.left < -1 || box.right > innerWidth + 1) {
                problems.push(`chart ${chart.id} reaches outside the window: ${box.left}–${box.right} px`);
            }
        }
    }
    return {problems, sizes};
};

// Text squeezed into a narrow column: in every block of text narrower than 8 em, the characters of each line (a line
// ends where the next character starts left of the one before, or below it); a line other than the last with fewer than
// MIN_CHARS_PER_LINE characters is a column too narrow. A paragraph whose last line is short is not one.
const NARROW_TEXT = () => {
    const problems = [], blocks = new Map();
    const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!node.data.trim() || !parent || parent.closest("svg, script, style, noscript, [hidden]")) continue;
        let block = parent;
        while (block.parentElement && ["inline", "contents"].includes(getComputedStyle(block).display)) {
            block = block.parentElement;
        }
        if (!blocks.has(block)) blocks.set(block, []);
        blocks.get(block).push(node);
    }
    const range = document.createRange();
    for (const [block, nodes] of blocks) {
        const style = getComputedStyle(block);
        const size = parseFloat(style.fontSize);
        const width = block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (!block.checkVisibility({visibilityProperty: true}) || width <= 0 || width >= 8 * size) {
            continue;
        }
        const lines = [[]];
        let left = -Infinity, below = Infinity;
        for (const node of nodes) {
            for (let i = 0; i < node.data.length; i++) {
                if (/\s/.test(node.data[i])) continue;
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const box = range.getBoundingClientRect();
                if (!box.width) continue;
                if (box.left < left - 1 || box.top > below) lines.push([]);
                lines.at(-1).push(node.data[i]);
                left = box.left;
                below = box.top + box.height * 0.6;
            }
        }
        const short = lines.slice(0, -1).filter(line => line.length < @MIN_CHARS_PER_LINE@);
        if (short.length) {
            const text = lines.map(line => line.join("")).join("/");
            problems.push(`text wraps at fewer than @MIN_CHARS_PER_LINE@ characters a line: ${text.slice(0, 60)}`);
        }
    }
    return problems;
};

// Measured again once the theme's transitions have ended: a window just widened runs them (Material's search box grows
// into place, briefly past the window's edge, for longer on a busy machine), and a page still settling its layout is
// not yet what a reader sees.
const SIDEWAYS = async () => {
    if (document.scrollingElement.scrollWidth <= innerWidth) return [];
    const transitions = document.getAnimations().filter(animation => animation instanceof CSSTransition);
    await Promise.all(transitions.map(transition => transition.finished.catch(() => null)));
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 100)));
    const width = document.scrollingElement.scrollWidth;
    return width > innerWidth ? [`the page scrolls sideways: ${width} px wide in a ${innerWidth} px window`] : [];
};

// How the page's data tables are laid out: the computed display of each table and of each row (cards are "flex"), by
// the table's kind (its last class: figures, rows, derived …), and the tables too wide for the column they are in.
const LAYOUT = () => {
    const tables = [...document.querySelectorAll("article table.data-table")];
    const kind = t => [...t.classList].at(-1);
    const rows = t => [...t.tBodies].flatMap(b => [...b.rows]);
    const box = t => t.closest(".md-typeset__scrollwrap") || t;
    return {tables: tables.map(t => kind(t) + " " + getComputedStyle(t).display),
            rows: tables.flatMap(t => rows(t).map(r => kind(t) + " " + getComputedStyle(r).display)),
            wide: tables.filter(t => box(t).scrollWidth > box(t).clientWidth + 1).map(kind)};
};

// Text smaller than Lighthouse's "legible" size, the site's and the theme's, in boxes a reader opens too: for each
// element that holds text, its font size, and a problem when it is under MIN_TEXT_PX.
const SMALL_TEXT = () => {
    const problems = new Set();
    const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!node.data.trim() || !parent || parent.closest("svg, script, style, noscript, [hidden]")) continue;
        const size = parseFloat(getComputedStyle(parent).fontSize);
        if (size < @MIN_TEXT_PX@) {
            const name = parent.tagName.toLowerCase() + (parent.className ? "." + [...parent.classList].join(".") : "");
            problems.add(`text under @MIN_TEXT_PX@ px (${size.toFixed(1)} px) in ${name}: ${node.data.trim().slice(0, 30)}`);
        }
    }
    return [...problems].slice(0, 20);
};

// Controls a reader taps, and the smallest box each may have (CSS px): 引用, 纠错, copy, share, the chart's tabs and
// downloads. A link in running text is not one of them.
const TAP_TARGETS = () => {
    const selector = ["details.row-cite > summary", "details.page-share > summary", "a.report-link", ".copy-button",
        "details.report > summary",
        ".chart-panel > .tabbed-labels > label", ".chart__downloads a", "a.share-link",
        "details.download__check > summary", ".figure-page__formats > summary"];
    const problems = [];
    for (const element of document.querySelectorAll(selector.join(", "))) {
        const box = element.getBoundingClientRect();
        if (!element.checkVisibility() || !box.width) continue;
        if (box.width < @MIN_TAP_PX@ - 0.5 || box.height < @MIN_TAP_PX@ - 0.5) {
            const size = `${box.width.toFixed(0)}×${box.height.toFixed(0)}`;
            problems.push(`tap target under @MIN_TAP_PX@×@MIN_TAP_PX@ px (${size}): ${element.textContent.trim().slice(0, 20)}`);
        }
    }
    return problems.slice(0, 10);
};

// Text in the other language without a mark of it (WCAG 3.1.2): Chinese on an English page, two English words in a row
// on a Chinese page, where no element around the text says its language; code, scripts and form fields aside.
const UNMARKED_LANGUAGE = () => {
    const page = document.documentElement.lang, own = page === "en" ? ["en"] : ["zh", "zh-Hans"];
    const foreign = page === "en" ? /[\u3400-\u9fff\uf900-\ufaff]/ : /[A-Za-z]{2,}[\s,:;()“”"]+[A-Za-z]{2,}/;
    const problems = new Set();
    const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest("script, style, code, pre, kbd, samp, svg, textarea, select, noscript")) continue;
        const lang = (parent.closest("[lang]") || document.documentElement).lang;
        if (own.includes(lang) && foreign.test(node.data)) {
            const text = node.data.trim().slice(0, 40);
            problems.add(`text in another language without lang in ${parent.tagName.toLowerCase()}: ${text}`);
        }
    }
    return [...problems].slice(0, 10);
};

// Run in every page of the built site once it is idle (scripts.bench.browser.survey), on a phone and on a desktop:
// what a reader would see wrong, what size each chart's text is drawn at, and how the data tables are laid out.
const PAGE_PROBE = async () => {
    const problems = [];
    for (const chart of document.querySelectorAll("figure.chart")) {
        const svg = [...chart.querySelectorAll(".chart__static svg")].find(s => s.getBoundingClientRect().width);
        const box = svg ? svg.getBoundingClientRect() : null;
        const marks = svg ? svg.querySelectorAll("g.role-mark").length : 0;
        if (!box || box.width < 200 || box.height < 60 || marks === 0) {
            const size = box ? `${box.width}x${box.height}` : "no svg";
            problems.push(`chart ${chart.id} not drawn: ${size}, ${marks} marks`);
        }
        const summary = chart.querySelector(".chart__summary");
        if (!summary || !summary.innerText.trim()) problems.push(`chart ${chart.id} without summary`);
    }
    const charts = CHART_TEXT();
    problems.push(...NARROW_TEXT(), ...(await SIDEWAYS()), ...charts.problems, ...SMALL_TEXT());
    problems.push(...TAP_TARGETS(), ...UNMARKED_LANGUAGE());
    return {problems, chart_text: charts.sizes, ...LAYOUT()};
};
