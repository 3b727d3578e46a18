// The order form, built from the server's legal_actions: one control per lever, with its
// bounds, its current value and the server's short explanation.
import { h, fmt } from "./dom.js";
import { label, choiceWord, hint, unit, withUnit } from "./labels.js";

function same(a, b) {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-9;
  return a === b;
}

function decimals(step) {
  const s = String(step);
  return s.includes(".") ? s.split(".")[1].length : 0;
}

function numberControl(spec, value, id, onChange) {
  const num = h("input", {
    type: "number",
    id,
    name: spec.name,
    min: spec.min,
    max: spec.max,
    step: spec.step ?? "any",
    value,
    inputmode: "decimal",
    "aria-describedby": `${id}-help`,
  });
  const range = h("input", {
    type: "range",
    min: spec.min,
    max: spec.max,
    step: spec.step ?? "any",
    value,
    "aria-label": `${label(spec.name)} slider`,
    tabindex: "-1",
  });
  const pct = h("span", { class: "pct", "aria-hidden": "true" });
  const showPct = () => {
    pct.textContent = num.value === "" ? "" : hint(spec.name) === "share" ? `${Math.round(Number(num.value) * 100)}%` : unit(spec.name);
  };
  num.addEventListener("input", () => {
    range.value = num.value;
    showPct();
    onChange();
  });
  range.addEventListener("input", () => {
    num.value = Number(range.value).toFixed(decimals(spec.step ?? 0.01));
    showPct();
    onChange();
  });
  showPct();
  return { el: h("div", { class: "num-row" }, range, num, pct), read: () => (num.value === "" ? NaN : Number(num.value)), focus: num };
}

/**
 * Build the form. Returns {el, setError(field, message)}.
 * onSubmit(order) must return a Promise (resolves on ack, rejects with a ProtocolError).
 */
export function orderForm(actions, yourOrder, onSubmit) {
  const controls = [];
  const status = h("p", { class: "form-status", role: "status", "aria-live": "polite" });
  const count = h("span", { class: "muted" });
  const submit = h("button", { type: "submit", class: "primary", id: "submit-order" }, "Submit orders");

  for (const spec of actions) {
    const id = `lever-${spec.name}`;
    const pre = yourOrder && spec.name in yourOrder ? yourOrder[spec.name] : spec.current;
    let ctrl;
    if (spec.type === "number") {
      ctrl = numberControl(spec, pre, id, () => update());
    } else if (spec.type === "boolean") {
      const box = h("input", { type: "checkbox", id, name: spec.name, checked: !!pre, "aria-describedby": `${id}-help` });
      box.addEventListener("change", () => update());
      ctrl = { el: h("div", { class: "bool-row" }, box, h("label", { for: id }, label(spec.name))), read: () => box.checked, focus: box };
    } else {
      const opts = spec.options.map((o) => h("option", { value: JSON.stringify(o), selected: same(o, pre) }, choiceWord(spec.name, o)));
      if (spec.current === null || spec.current === undefined) opts.unshift(h("option", { value: "null", selected: pre == null }, "— no change —"));
      const sel = h("select", { id, name: spec.name, "aria-describedby": `${id}-help` }, opts);
      sel.addEventListener("change", () => update());
      ctrl = { el: sel, read: () => JSON.parse(sel.value), focus: sel };
    }
    const bounds =
      spec.type === "number"
        ? `from ${spec.min} to ${spec.max}${spec.step ? `, step ${spec.step}` : ""}`
        : spec.type === "choice"
          ? `${spec.options.length} option${spec.options.length === 1 ? "" : "s"} now`
          : "yes or no";
    const err = h("p", { class: "field-error", id: `${id}-error`, role: "alert" });
    const row = h(
      "div",
      { class: "lever", dataset: { lever: spec.name } },
      spec.type === "boolean" ? null : h("label", { for: id, class: "lever-name" }, label(spec.name)),
      ctrl.el,
      h(
        "p",
        { class: "lever-help", id: `${id}-help` },
        spec.description,
        " ",
        h("span", { class: "muted" }, `(${bounds}${unit(spec.name) ? ` ${unit(spec.name)}` : ""}; now ${spec.type === "choice" ? (spec.current == null ? "none" : choiceWord(spec.name, spec.current)) : withUnit(spec.name, spec.current, fmt)})`),
      ),
      err,
    );
    controls.push({ spec, ctrl, row, err });
  }

  function collect() {
    const order = {};
    const problems = [];
    for (const { spec, ctrl } of controls) {
      const v = ctrl.read();
      if (spec.type === "number" && same(v, spec.current)) continue; // unchanged: not sent, nothing to check
      if (spec.type === "number") {
        if (Number.isNaN(v)) problems.push([spec.name, "Enter a number."]);
        else if (v < spec.min - 1e-9 || v > spec.max + 1e-9) problems.push([spec.name, `Must be between ${spec.min} and ${spec.max}.`]);
      }
      if (v === null || (spec.type !== "choice" && Number.isNaN(v))) continue;
      if (!same(v, spec.current)) order[spec.name] = v;
    }
    return { order, problems };
  }

  function update() {
    const { order } = collect();
    const n = Object.keys(order).length;
    count.textContent = n ? ` ${n} change${n === 1 ? "" : "s"} from the current settings` : " no changes: keep everything as it is";
    for (const c of controls) c.row.classList.toggle("changed", c.spec.name in order);
  }

  function setError(field, message) {
    for (const c of controls) c.err.textContent = "";
    const name = (field || "").replace(/^order\./, "");
    const c = controls.find((x) => x.spec.name === name);
    if (c) {
      c.err.textContent = message;
      c.ctrl.focus.focus();
    }
  }

  const form = h(
    "form",
    { class: "order-form", "aria-label": "Your orders this quarter", novalidate: true },
    controls.map((c) => c.row),
    h("div", { class: "form-actions" }, submit, count),
    status,
  );
  let sending = false;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (sending) return;
    const { order, problems } = collect();
    for (const c of controls) c.err.textContent = "";
    if (problems.length) {
      setError(problems[0][0], problems[0][1]);
      status.textContent = "Not sent: fix the highlighted lever.";
      return;
    }
    // Not `disabled`: a disabled button drops the keyboard focus to the top of the page.
    sending = true;
    submit.setAttribute("aria-disabled", "true");
    status.textContent = "Sending…";
    try {
      await onSubmit(order);
      status.textContent = "Orders received by the server. You can change them until the turn resolves.";
      status.className = "form-status ok";
    } catch (e) {
      status.textContent = `Not accepted: ${e.message}`;
      status.className = "form-status bad";
      if (e.field) setError(e.field, e.message);
    } finally {
      sending = false;
      submit.removeAttribute("aria-disabled");
    }
  });
  if (!actions.length) {
    // Nothing to decide, but a person alone at the table still ends the quarter.
    submit.textContent = "Ready for the next quarter";
    count.textContent = " No levers to pull now.";
    return { el: form, setError, status };
  }
  update();
  return { el: form, setError, status };
}
