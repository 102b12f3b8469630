using Mailroom.Server.Api;
using Mailroom.Server.WebConsole.SingleSignOn;
using Mailroom.Storage.Stores;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Mailroom.Server.WebConsole;

/// <summary>The console's sign-in: a cookie per signed-in user, and the policies its pages require.</summary>
internal static class ConsoleServices
{
    public const string CookieName = "mailroom.session";

    public static IServiceCollection AddMailroomConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<OAuthLinks>();
        var openId = new OpenIdSignInOptions();
        configuration.GetSection("Console:OpenIdConnect").Bind(openId);
        services.AddSingleton(openId.Validate());
        services.AddSingleton<OpenIdUserMatcher>();
        services.AddAuthentication()
            .AddCookie(ConsolePrincipal.Scheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                // Secure whenever the request came over HTTPS. Plain HTTP is for loopback (a developer's machine): the
                // browser would not send a Secure cookie back over it (docs/console.md says how to serve HTTPS).
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Lax, not Strict: the OAuth provider sends the person back to /oauth/callback with a top-level
                // redirect from its own site, and the callback must see who is signed in. Lax keeps cross-site POSTs
                // (the CSRF risk) without the cookie; antiforgery tokens guard every form as well.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.LoginPath = "/signin";
                options.LogoutPath = "/signout";
                options.AccessDeniedPath = "/denied";
                options.ReturnUrlParameter = "returnUrl";
                // Each request checks that the user still exists with the same security stamp: a removed user, a new
                // password or a sign-out ends the session at once, not when the cookie expires.
                options.Events.OnValidatePrincipal = ValidateAsync;
            })
            .AddConsoleOpenId(openId);
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/WebConsole";
            options.Conventions.AuthorizeFolder("/", ConsolePrincipal.Policy);
            options.Conventions.AllowAnonymousToPage("/Account/SignIn");
            options.Conventions.AuthorizeFolder("/ApiKeys", ConsolePrincipal.AdminPolicy);
            options.Conventions.AuthorizeFolder("/Users", ConsolePrincipal.AdminPolicy);
            options.Conventions.AuthorizeFolder("/Webhooks", ConsolePrincipal.AdminPolicy);
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "mailroom.antiforgery";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__RequestVerificationToken";
        });
        services.AddOptions<CookieAuthenticationOptions>(ConsolePrincipal.Scheme)
            .Configure<ConsoleOptions>((cookie, console) => cookie.ExpireTimeSpan = console.SessionLifetime);
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePrincipal.Policy, policy => policy.AddAuthenticationSchemes(ConsolePrincipal.Scheme).RequireAuthenticatedUser()
                .RequireClaim(ConsolePrincipal.UserIdClaim))
            .AddPolicy(ConsolePrincipal.AdminPolicy, policy => policy.AddAuthenticationSchemes(ConsolePrincipal.Scheme).RequireAuthenticatedUser()
                .RequireClaim(ConsolePrincipal.UserIdClaim).RequireRole(ConsoleRoles.Admin));
        return services;
    }

    /// <summary>The console's pages and assets, with headers that keep them out of frames and other sites' reach.</summary>
    public static WebApplication MapMailroomConsole(this WebApplication app)
    {
        ConsoleAssets.Map(app);
        // Attachments for a signed-in user: the API's own download (its organization check, its headers), with the cookie.
        app.MapGet("/console/messages/{id:long}/attachments/{position:int}", Api.V1.MessagesApi.AttachmentAsync)
            .RequireAuthorization(ConsolePrincipal.Policy).ExcludeFromDescription();
        app.MapRazorPages().Add(endpoint => endpoint.Metadata.Add(new ConsolePageMarker()));
        return app;
    }

    /// <summary>Security headers for console pages (not for /v1 or /view, which set their own).</summary>
    public static void UseConsoleHeaders(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ConsolePageMarker>() is not null)
        {
            var headers = context.Response.Headers;
            // No inline script or style, nothing from elsewhere; frames only of Mailroom's own sandboxed view.
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }
        await next();
    });

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var stamp = context.Principal?.FindFirst(ConsolePrincipal.StampClaim)?.Value;
        // One narrow query per request (the progress fragment is polled every 2 s): the stamp alone, not the user's record.
        if (stamp is not null && context.Principal?.UserId() is { } id
            && await users.SecurityStampAsync(id, context.HttpContext.RequestAborted) == stamp)
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(ConsolePrincipal.Scheme);
    }
}
