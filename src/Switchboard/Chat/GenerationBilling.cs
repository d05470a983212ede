using System.Globalization;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Keys;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Chat;

/// <summary>
/// A chat request's side of the ledger: reserve the worst case before the first attempt (or say, as a 402,
/// why the credit or the key's limit cannot cover it), then settle to what the generation actually cost.
/// </summary>
internal sealed class GenerationBilling(CreditBook book, CreditHoldEstimator estimator)
{
    public async ValueTask<(Reservation? Reservation, ApiError? Refusal)> ReserveAsync(
        CallerKey key, string generationId, ChatRequest request, IReadOnlyList<RouteAttempt> plan, ProviderSet providers, long promptTokens)
    {
        var estimate = estimator.Estimate(plan, providers, request.MaxTokens, promptTokens, key.IncludeByokInLimit);
        var result = await book.ReserveAsync(key, generationId, estimate.Hold).ConfigureAwait(false);
        return result.Reservation is { } reservation
            ? (reservation, null)
            : (null, Refusal(result, estimate));
    }

    /// <summary>Books what the meter priced, or frees the hold when nothing was generated. Never waits, never throws.</summary>
    public void Settle(Reservation reservation, GenerationMeter meter) =>
        book.Settle(reservation, meter.Priced ? meter.Cost : GenerationCost.Zero);

    private static ApiError Refusal(ReservationResult result, CreditHoldEstimate estimate)
    {
        if (result.Source == ShortfallSource.StoreUnavailable)
        {
            return new ApiError(StatusCodes.Status503ServiceUnavailable,
                "Credit could not be checked: the gateway's database is unavailable. Retry shortly.",
                new ErrorMetadata { ErrorType = "store_unavailable" })
            { RetryAfterSeconds = 1 };
        }

        var byKey = result.Source == ShortfallSource.KeyLimit;
        var available = Math.Max(0m, result.Available);
        string message;
        if (available <= 0m || estimate.OutputTokens == 0)
        {
            message = byKey
                ? "This key has reached its spend limit. Raise the limit (PATCH /api/v1/keys/{hash}) or wait for it to reset."
                : $"Insufficient credits: the account has {Format(result.Available)} USD available. Add credits to continue.";
        }
        else
        {
            message = $"This request requires more credits, or fewer max_tokens. You requested up to {estimate.OutputTokens} tokens, "
                + $"but can only afford {estimate.AffordableOutputTokens(available)}."
                + (byKey ? " To increase, raise this key's limit (PATCH /api/v1/keys/{hash})." : " Add credits to continue.");
        }
        return new ApiError(StatusCodes.Status402PaymentRequired, message, new ErrorMetadata
        {
            ErrorType = "payment_required",
            LimitSource = byKey ? "key_limit" : "credits",
        });
    }

    private static string Format(decimal amount) => Money.Normalize(amount).ToString(CultureInfo.InvariantCulture);
}
