/*
 * «Проверить файл» on the open-data page: checks a downloaded open-data CSV in the citizen's own
 * browser. The file is read with FileReader and never sent anywhere; only the public seal JSON
 * (rows, final hash, totals) is fetched.
 *
 * The algorithm is ag_app/domain/opendata.py verify_rows, step for step: the heading, then each
 * row's cell count, its №, the previous hash, its own hash
 * sha256(prev + "\n" + visible cells joined with U+001F), then the final hash, the row count and
 * the recounted totals against the seal. CSV is read like Python's csv.reader (excel dialect,
 * newline=""). Every text shown comes from the page (data-* attributes rendered from the
 * catalogue ag_app/i18n.py), so this file holds no Russian; tests/unit/test_opendata_js.py runs
 * verifyText under Node and compares it with the Python result.
 */
(function (root) {
  "use strict";

  var GENESIS = "0000000000000000000000000000000000000000000000000000000000000000";
  var FIELD_SEPARATOR = "\u001f";
  // Rows hashed at once (their own hashes do not depend on each other; the chain is checked after).
  var BATCH = 2048;

  /** Parse CSV text like Python's csv.reader (excel dialect): rows of cells with their first line. */
  function parseCsv(text) {
    var rows = [];
    var row = [];
    var cell = "";
    var line = 1;
    var rowLine = 1;
    // START_RECORD, START_FIELD, IN_FIELD, IN_QUOTED, QUOTE_IN_QUOTED
    var state = "START_RECORD";
    var i = 0;
    var n = text.length;
    function endRow() {
      rows.push({ cells: row, line: rowLine });
      row = [];
    }
    while (i < n) {
      var c = text[i];
      if (state === "IN_QUOTED") {
        if (c === '"') {
          state = "QUOTE_IN_QUOTED";
        } else {
          if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line += 1;
          cell += c;
        }
        i += 1;
        continue;
      }
      if (c === "\r" || c === "\n") {
        if (state !== "START_RECORD") {
          row.push(cell);
          cell = "";
        }
        endRow();
        i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
        line += 1;
        rowLine = line;
        state = "START_RECORD";
        continue;
      }
      if (state === "QUOTE_IN_QUOTED") {
        if (c === '"') {
          cell += '"';
          state = "IN_QUOTED";
        } else if (c === ",") {
          row.push(cell);
          cell = "";
          state = "START_FIELD";
        } else {
          cell += c;
          state = "IN_FIELD";
        }
      } else if (state === "IN_FIELD") {
        if (c === ",") {
          row.push(cell);
          cell = "";
          state = "START_FIELD";
        } else {
          cell += c;
        }
      } else {
        // START_RECORD or START_FIELD
        if (c === '"') {
          state = "IN_QUOTED";
        } else if (c === ",") {
          row.push("");
          state = "START_FIELD";
        } else {
          cell += c;
          state = "IN_FIELD";
        }
      }
      i += 1;
    }
    if (state !== "START_RECORD") {
      row.push(cell);
      endRow();
    }
    return rows;
  }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = "";
    for (var k = 0; k < bytes.length; k += 1) {
      out += (bytes[k] < 16 ? "0" : "") + bytes[k].toString(16);
    }
    return out;
  }

  /** SHA-256 of a text's UTF-8 bytes as lowercase hex (crypto.subtle). */
  function sha256hex(text) {
    var data = new TextEncoder().encode(text);
    return root.crypto.subtle.digest("SHA-256", data).then(hex);
  }

  function isHeader(heading, format) {
    var base = format.base_header;
    var tail = format.hash_header;
    if (heading.length < base.length + tail.length) return false;
    for (var k = 0; k < base.length; k += 1) {
      if (heading[k] !== base[k]) return false;
    }
    for (var t = 0; t < tail.length; t += 1) {
      if (heading[heading.length - tail.length + t] !== tail[t]) return false;
    }
    var questions = heading.slice(base.length, heading.length - tail.length);
    for (var q = 0; q < questions.length; q += 1) {
      var prefix = format.question_prefix.replace("{n}", String(q + 1));
      if (questions[q].indexOf(prefix) !== 0) return false;
    }
    return true;
  }

  // Totals without zero counts: [ballots, {column: {option: count > 0}}] (domain _nonzero).
  function nonzero(totals) {
    var questions = {};
    var given = (totals && totals.questions) || {};
    Object.keys(given).forEach(function (column) {
      var counts = {};
      Object.keys(given[column]).forEach(function (option) {
        var value = parseInt(given[column][option], 10);
        if (value) counts[option] = value;
      });
      questions[column] = counts;
    });
    var ballots = totals && totals.ballots !== undefined ? parseInt(totals.ballots, 10) : -1;
    return [ballots, questions];
  }

  function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (value && typeof value === "object") {
      return (
        "{" +
        Object.keys(value)
          .sort()
          .map(function (key) {
            return JSON.stringify(key) + ":" + canonical(value[key]);
          })
          .join(",") +
        "}"
      );
    }
    return JSON.stringify(value);
  }

  function sameTotals(recounted, expected) {
    return canonical(nonzero(recounted)) === canonical(nonzero(expected));
  }

  /**
   * Verify the text of an open-data CSV against the seal ({rows, final_hash, totals}).
   *
   * Resolves to {ok, rows, final_hash, totals, first_bad_row, line, reason}: ``reason`` is one of
   * columns, header, number, prev, hash, extra, missing, final, totals (empty when ok);
   * ``first_bad_row`` the № of the first bad row (0 for the heading, null when no row is named);
   * ``line`` the file line where that row starts (null when the file has no such line).
   * ``onProgress(done, total)``, when given, is called after every batch of rows.
   */
  async function verifyText(text, seal, format, onProgress) {
    var digest = sha256hex;
    var table = parseCsv(text);
    var heading = table.length ? table[0].cells : [];
    var rows = table.slice(1);
    var expectHash = seal ? String(seal.final_hash === undefined ? "" : seal.final_hash) : null;
    var expectRows = seal ? parseInt(seal.rows === undefined ? -1 : seal.rows, 10) : null;
    var expectTotals = seal ? seal.totals || {} : null;
    var lastAnswer = heading.length - format.hash_header.length;
    var firstAnswer = format.base_header.length;
    var columns = heading.slice(firstAnswer, lastAnswer);
    var totals = { ballots: 0, questions: {} };
    columns.forEach(function (column) {
      totals.questions[column] = {};
    });
    var prev = GENESIS;
    var number = 0;
    var publishedEnd = expectHash === GENESIS ? 0 : null;

    function lineOf(rowNumber) {
      if (rowNumber === 0) return 1;
      var found = rows[rowNumber - 1];
      return found ? found.line : null;
    }
    function report(ok, row, reason) {
      return {
        ok: ok,
        rows: number,
        final_hash: prev,
        totals: totals,
        first_bad_row: ok ? null : row,
        line: ok || row === null ? null : lineOf(row),
        reason: ok ? "" : reason,
      };
    }
    if (!isHeader(heading, format)) {
      totals = { ballots: 0, questions: {} };
      return report(false, 0, "header");
    }
    for (var start = 0; start < rows.length; start += BATCH) {
      var batch = rows.slice(start, start + BATCH);
      // Each row's own hash over its stated previous hash; the chain check below makes them equal.
      var owns = await Promise.all(
        batch.map(function (entry) {
          var cells = entry.cells;
          if (cells.length !== heading.length) return null;
          return digest(cells[lastAnswer] + "\n" + cells.slice(0, lastAnswer).join(FIELD_SEPARATOR));
        })
      );
      for (var k = 0; k < batch.length; k += 1) {
        number = start + k + 1;
        var cells = batch[k].cells;
        if (cells.length !== heading.length) return report(false, number, "columns");
        if (cells[0] !== String(number)) return report(false, number, "number");
        if (cells[lastAnswer] !== prev) return report(false, number, "prev");
        var own = owns[k];
        if (cells[lastAnswer + 1] !== own) return report(false, number, "hash");
        totals.ballots += 1;
        for (var q = 0; q < columns.length; q += 1) {
          var cell = cells[firstAnswer + q];
          if (!cell) continue;
          var counts = totals.questions[columns[q]];
          cell.split(format.answer_separator).forEach(function (option) {
            counts[option] = (counts[option] || 0) + 1;
          });
        }
        prev = own;
        if (expectHash !== null && own === expectHash && publishedEnd === null) publishedEnd = number;
      }
      if (onProgress) onProgress(number, rows.length);
    }
    if (expectHash !== null && prev !== expectHash) {
      if (publishedEnd !== null) return report(false, publishedEnd + 1, "extra");
      if (expectRows !== null && number < expectRows) return report(false, number + 1, "missing");
      return report(false, null, "final");
    }
    if (expectRows !== null && number !== expectRows) {
      var over = number > expectRows;
      return report(false, Math.min(number, expectRows) + 1, over ? "extra" : "missing");
    }
    if (expectTotals !== null && !sameTotals(totals, expectTotals)) return report(false, null, "totals");
    return report(true, null, "");
  }

  // ------------------------------------------------------------------------------------------
  // The page: <div id="verify-file" data-format data-messages data-seal-url data-success> holds a
  // file input (#verify-file-input) and a status line (#verify-file-result).

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return values[key] === undefined ? whole : String(values[key]);
    });
  }

  function describe(result, messages, format) {
    var reason = format.reasons[result.reason] || result.reason;
    var grouped = new Intl.NumberFormat("ru-RU");
    if (result.first_bad_row === null) return fill(messages.failed, { reason: reason });
    if (result.line === null) {
      return fill(messages.failed_row, { row: grouped.format(result.first_bad_row), reason: reason });
    }
    return fill(messages.failed_line, {
      row: grouped.format(result.first_bad_row),
      line: grouped.format(result.line),
      reason: reason,
    });
  }

  function show(box, text, outcome) {
    var out = box.querySelector("#verify-file-result");
    if (!out) return;
    out.textContent = text;
    out.setAttribute("data-outcome", outcome);
  }

  /** The file's bytes as text: UTF-8, one leading byte order mark dropped (Python's utf-8-sig). */
  function decode(bytes) {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  }

  function readText(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        try {
          resolve(decode(reader.result));
        } catch (error) {
          reject(error);
        }
      };
      reader.onerror = function () {
        reject(reader.error);
      };
      reader.readAsArrayBuffer(file);
    });
  }

  async function check(box, file) {
    var format = JSON.parse(box.getAttribute("data-format"));
    var messages = JSON.parse(box.getAttribute("data-messages"));
    if (!root.crypto || !root.crypto.subtle) return show(box, messages.insecure, "error");
    if (!/\.csv$/i.test(file.name)) return show(box, messages.not_csv, "error");
    show(box, messages.checking, "checking");
    var text;
    try {
      text = await readText(file);
    } catch (error) {
      return show(box, messages.unreadable, "error");
    }
    var seal;
    try {
      var response = await fetch(box.getAttribute("data-seal-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      seal = await response.json();
    } catch (error) {
      return show(box, messages.seal_unavailable, "error");
    }
    var grouped = new Intl.NumberFormat("ru-RU");
    var result = await verifyText(text, seal, format, function (done, total) {
      show(box, fill(messages.progress, { done: grouped.format(done), total: grouped.format(total) }), "checking");
    });
    if (result.ok) return show(box, box.getAttribute("data-success"), "ok");
    return show(box, describe(result, messages, format), "failed");
  }

  var api = { decode: decode, parseCsv: parseCsv, verifyText: verifyText, sha256hex: sha256hex };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }
  root.agVerifyOpenData = api;
  if (root.__agVerifyOpenDataBound) return;
  root.__agVerifyOpenDataBound = true;
  // Delegated, so it survives React re-rendering the page and client-side navigation.
  root.document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.id !== "verify-file-input" || !input.files || !input.files.length) return;
    var box = input.closest("#verify-file");
    var file = input.files[0];
    // Choosing the same file again (e.g. after editing it) must run the check again.
    input.value = "";
    if (box) check(box, file);
  });
})(typeof window !== "undefined" ? window : globalThis);
