using Mailroom.TestSupport.Graph;

namespace Mailroom.IntegrationTests.Graph;

internal static class GraphTestSupport
{
    /// <summary>The CSDL is what keeps the fake Graph honest: without it these tests say so instead of passing unchecked.</summary>
    public static void RequireCsdl()
    {
        if (!GraphCsdl.Available)
            Assert.Skip($"The Graph v1.0 CSDL is absent (../{GraphCsdl.RelativePath}, or MAILROOM_PROVIDERS): the fake Graph cannot be checked.");
    }
}
