import Markdown

/// What `lossbook serve` adds to every HTML page it serves (never to the files in `site/`): a
/// script that listens on `/__lossbook/events`, reloads the page after a rebuild, and shows a
/// failed build's errors over the page until a build succeeds.
///
/// Appended after the page's last byte: an HTML parser puts content after `</html>` into the
/// body, so the page can be streamed as it is and the script added at the end.
enum LiveReloadScript {
    static let eventsPath = "/__lossbook/events"

    /// - Parameter generation: the successful build the page comes from.
    static func tag(generation: Int) -> String {
        tagParts.before + String(generation) + tagParts.after
    }

    /// The tag before and after the generation, split once (the tag goes out with every page served).
    private static let tagParts: (before: String, after: String) = {
        let parts = source.components(separatedBy: "GENERATION")
        return ("\n<script data-lossbook-serve>" + parts[0], parts[1] + "</script>\n")
    }()

    // Errors are set with textContent, never as HTML: a message quoting `<script>` stays text.
    private static let source = """
    (function () {
      var generation = GENERATION, box = null;
      function hide() { if (box) { box.remove(); box = null; } }
      function show(errors) {
        hide();
        box = document.createElement("div");
        box.id = "lossbook-serve-errors";
        box.setAttribute("role", "alert");
        box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);" +
          "color:#f5f5f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2em;";
        var title = document.createElement("div");
        title.style.cssText = "color:#ff6b6b;font-weight:bold;margin-bottom:1em;";
        title.textContent = "lossbook serve: the build failed (" + errors.length + " error" + (errors.length === 1 ? "" : "s") +
          "); this page is the last good build.";
        box.appendChild(title);
        errors.forEach(function (line) {
          var pre = document.createElement("pre");
          pre.style.cssText = "white-space:pre-wrap;margin:0 0 .8em 0;";
          pre.textContent = line;
          box.appendChild(pre);
        });
        var close = document.createElement("button");
        close.textContent = "×";
        close.setAttribute("aria-label", "close");
        close.style.cssText = "position:fixed;top:.5em;right:1em;font-size:24px;background:none;border:0;color:#f5f5f5;cursor:pointer;";
        close.onclick = hide;
        box.appendChild(close);
        (document.body || document.documentElement).appendChild(box);
      }
      if (!window.EventSource) return;
      var events = new EventSource("\(eventsPath)");
      events.addEventListener("hello", function (e) {
        var state = JSON.parse(e.data);
        if (state.errors.length) show(state.errors);
        else if (state.generation !== generation) location.reload();
        else hide();
      });
      events.addEventListener("reload", function () { location.reload(); });
      events.addEventListener("failed", function (e) { show(JSON.parse(e.data).errors); });
    })();
    """
}

/// Pages of the server's own, for when there is no built page to show.
enum StatusPage {
    /// Before the first build has finished: reloads itself when it has.
    static func building(generation: Int) -> String {
        page(title: "Building…", body: "<p>lossbook serve is building the site; this page reloads when it is done.</p>", generation: generation)
    }

    /// The first build failed and there is no earlier site to serve.
    static func failed(_ errors: [String], generation: Int) -> String {
        let list = errors.map { "<pre>\(escape($0))</pre>" }.joined(separator: "\n")
        return page(title: "Build failed", body: "<p>The build failed; this page reloads when it succeeds.</p>\n\(list)", generation: generation)
    }

    /// No `404.html` in the site.
    static func notFound(generation: Int) -> String {
        page(title: "Not found", body: "<p>No such page in the site.</p>", generation: generation)
    }

    private static func page(title: String, body: String, generation: Int) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title) · lossbook serve</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em}pre{white-space:pre-wrap}</style>
        </head><body><h1>\(title)</h1>
        \(body)
        </body></html>
        """ + LiveReloadScript.tag(generation: generation)
    }

    /// Text as HTML: `&`, `<`, `>`, `"` and `'` as entities.
    static func escape(_ text: String) -> String { HTMLEscape.escape(text, apostrophe: true) }
}
