using Mailroom.Server.Api;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Mailroom.Server.WebConsole;

/// <summary>The console's sign-in: a cookie per signed-in user, and the policies its pages require.</summary>
internal static class ConsoleServices
{
    public const string CookieName = "mailroom.session";

    public static IServiceCollection AddMailroomConsole(this IServiceCollection services)
    {
        services.AddSingleton<OAuthLinks>();
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
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = "/signin";
                options.LogoutPath = "/signout";
                options.AccessDeniedPath = "/denied";
                options.ReturnUrlParameter = "returnUrl";
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePrincipal.Policy, policy => policy.AddAuthenticationSchemes(ConsolePrincipal.Scheme).RequireAuthenticatedUser()
                .RequireClaim(ConsolePrincipal.UserIdClaim))
            .AddPolicy(ConsolePrincipal.AdminPolicy, policy => policy.AddAuthenticationSchemes(ConsolePrincipal.Scheme).RequireAuthenticatedUser()
                .RequireClaim(ConsolePrincipal.UserIdClaim).RequireRole(ConsoleRoles.Admin));
        return services;
    }
}
