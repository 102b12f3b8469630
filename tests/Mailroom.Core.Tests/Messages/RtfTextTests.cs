using System.Text;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

public sealed class RtfTextTests
{
    [Fact]
    public void Plain_rtf_gives_its_visible_text()
    {
        var rtf = """
            {\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}{\colortbl;\red0\green0\blue0;}
            {\*\generator Riched20 10.0;}\viewkind4\uc1\pard\f0\fs20 Dear Ren\'e9e,\par
            The price is 5\u8364?.\tab Done\par
            {\field{\*\fldinst{HYPERLINK "https://example.com"}}{\fldrslt{example}}}\par
            }
            """;

        var (text, isHtml) = RtfText.Read(Encoding.ASCII.GetBytes(rtf));

        Assert.False(isHtml);
        Assert.Equal("Dear Renée,\nThe price is 5€.\tDone\nexample\n", text);
    }

    [Fact]
    public void Encapsulated_html_is_given_back_as_html()
    {
        // The shape of [MS-OXRTFEX] §2: HTML in \htmltag groups, RTF-only text between \htmlrtf and \htmlrtf0.
        var rtf = """
            {\rtf1\ansi\ansicpg1251\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}
            {\*\htmltag19 <html>}{\*\htmltag34 <body>}
            {\*\htmltag64 <p>}\htmlrtf {\htmlrtf0 Hello {\*\htmltag84 <b>}\htmlrtf \b \htmlrtf0 \'cc\'e8\'f0{\*\htmltag92 </b>}\htmlrtf }\htmlrtf0
            {\*\htmltag72 </p>}\htmlrtf \par \htmlrtf0 {\*\htmltag42 </body>}{\*\htmltag27 </html>}}
            """;

        var (html, isHtml) = RtfText.Read(Encoding.ASCII.GetBytes(rtf));

        Assert.True(isHtml);
        Assert.Equal("<html><body><p>Hello <b>Мир</b></p></body></html>", html);
    }
}
