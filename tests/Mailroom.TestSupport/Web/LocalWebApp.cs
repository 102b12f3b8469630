using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.TestSupport.Web;

/// <summary>
/// A real Kestrel app on a free port of 127.0.0.1, for the tests that need an HTTP server (webhook receivers, image
/// servers, the events and view endpoints). Port 0 lets the system choose, so parallel tests never collide; the address
/// is read back from the server once it listens.
/// </summary>
public sealed class LocalWebApp : IAsyncDisposable
{
    private LocalWebApp(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>A slim builder bound to 127.0.0.1 on a free port, with logging off (a test turns it on when it needs it).</summary>
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> (built from <see cref="CreateBuilder"/>) and reads back its address.</summary>
    public static async Task<LocalWebApp> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalWebApp(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
