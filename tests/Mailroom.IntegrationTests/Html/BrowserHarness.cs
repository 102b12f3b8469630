using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Mailroom.IntegrationTests.Html;

/// <summary>
/// Loads documents in Chromium and records what would betray script or a leak: hooked alert/confirm/prompt/print/open
/// and console, dialogs, a DOM marker (<c>data-mr-xss</c> on the root element), and every request the page makes.
/// </summary>
public static class BrowserHarness
{
    public const string Hooks = """
        (() => {
          const log = (kind) => function () { (window.__mrXss = window.__mrXss || []).push(kind + ':' + Array.from(arguments).join(',')); };
          window.__mrXss = [];
          for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) window[name] = log(name);
          for (const name of ['log', 'info', 'warn', 'error', 'debug']) console[name] = log('console.' + name);
        })();
        """;

    // Fires the events the vectors wait for (mouse, focus, input, toggle, animation...) on every element, and clicks
    // every link without following it (a javascript: or data: link left in place would be reported).
    public const string Trigger = """
        () => {
          document.addEventListener('click', e => {
            const a = e.target.closest ? e.target.closest('a,area') : null;
            if (a) {
              const h = (a.getAttribute('href') || '').replace(/[\s\u0000-\u001f]/g, '');
              if (/^(javascript|vbscript|data|livescript):/i.test(h)) window.__mrXss.push('dangerous-href:' + h);
              e.preventDefault();
            }
          }, true);
          document.addEventListener('submit', e => { window.__mrXss.push('submit'); e.preventDefault(); }, true);
          const types = ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'click', 'dblclick', 'contextmenu',
            'focus', 'focusin', 'blur', 'focusout', 'input', 'change', 'toggle', 'animationstart', 'animationend',
            'transitionend', 'load', 'error', 'scroll', 'wheel', 'keydown', 'keypress', 'keyup', 'copy', 'cut', 'paste',
            'drag', 'dragstart', 'drop', 'select', 'begin', 'end', 'repeat', 'pageshow', 'hashchange', 'message'];
          for (const el of [window, document, ...document.querySelectorAll('*')]) {
            for (const t of types) { try { el.dispatchEvent(new Event(t, { bubbles: true })); } catch (e) { } }
            if (el.focus) { try { el.focus(); } catch (e) { } }
            if (el.click && el.tagName !== 'A') { try { el.click(); } catch (e) { } }
          }
          return true;
        }
        """;

    // What must not be in the rendered DOM, whatever the browser's parser made of the sanitized markup.
    public const string DomCheck = """
        () => {
          const bad = [];
          if (document.documentElement.getAttribute('data-mr-xss')) bad.push('DOM marker set');
          for (const el of document.querySelectorAll('*')) {
            const tag = el.tagName.toLowerCase();
            const inHead = el.parentElement && el.parentElement.tagName === 'HEAD';
            if (['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'svg', 'math', 'link',
                 'template', 'input', 'textarea', 'button', 'select', 'video', 'audio', 'source', 'picture', 'noscript'].includes(tag)
                || ((tag === 'meta' || tag === 'style') && !inHead))
              bad.push('element ' + tag);
            for (const a of el.attributes) {
              const v = a.value.replace(/[\s\u0000-\u001f]/g, '');
              if (/^on/i.test(a.name)) bad.push(tag + '@' + a.name);
              const urlAttribute = ['href', 'src', 'background', 'action', 'formaction', 'poster', 'data', 'xlink:href', 'cite',
                'longdesc', 'dynsrc', 'lowsrc', 'codebase', 'usemap', 'icon'].includes(a.name.toLowerCase());
              if (urlAttribute && /^(javascript|vbscript|livescript|data:text|data:application|data:image\/svg)/i.test(v)) bad.push(tag + '@' + a.name + '=' + a.value);
              if (['srcset', 'ping', 'poster', 'formaction', 'action', 'manifest', 'codebase', 'dynsrc', 'lowsrc', 'srcdoc'].includes(a.name.toLowerCase())) bad.push(tag + '@' + a.name);
            }
          }
          return bad;
        }
        """;

    /// <summary>Everything one page load recorded.</summary>
    public sealed class Recording
    {
        public ConcurrentQueue<string> Requests { get; } = new();
        public ConcurrentQueue<string> ProxyRequests { get; } = new();
        public ConcurrentQueue<string> Console { get; } = new();
        public ConcurrentQueue<string> Dialogs { get; } = new();

        public void Attach(IPage page)
        {
            page.Console += (_, m) => Console.Enqueue($"{m.Type}: {m.Text}");
            page.Dialog += async (_, d) => { Dialogs.Enqueue($"{d.Type}: {d.Message}"); await d.DismissAsync(); };
            page.PageError += (_, e) => Console.Enqueue("pageerror: " + e);
        }

        public List<string> Problems()
        {
            var problems = new List<string>();
            problems.AddRange(Requests.Select(r => "request " + r));
            problems.AddRange(Console.Select(c => "console " + c));
            problems.AddRange(Dialogs.Select(d => "dialog " + d));
            return problems;
        }
    }
}
