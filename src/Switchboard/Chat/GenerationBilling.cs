using System.Globalization;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Keys;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Routing;

namespace Switchboard.Chat;

/// <summary>
/// A chat request's reservation: the worst case held before the first attempt, or a 402 saying why the credit or
/// the key's limit cannot cover it. The prompt is held at its byte bound; only when that is what falls short is the
/// text counted with a tokenizer (<see cref="PromptTokenCounter"/>) and the smaller hold tried.
/// </summary>
internal sealed class GenerationBilling(CreditBook book, CreditHoldEstimator estimator, PromptTokenCounter tokens)
{
    /// <summary>Below this many bytes of text, a tokenizer could save less than a kilotoken of hold: not worth its time.</summary>
    private const long TokenizeAbove = 1024;

    public async ValueTask<(Reservation? Reservation, ApiError? Refusal)> ReserveAsync(
        CallerKey key, string generationId, ChatRequest request, IReadOnlyList<RouteAttempt> plan, ProviderSet providers, CancellationToken cancellationToken)
    {
        var estimate = estimator.Estimate(request, plan, providers, key.IncludeByokInLimit);
        var result = await book.ReserveAsync(key, generationId, estimate.Hold, cancellationToken).ConfigureAwait(false);
        if (result.Reservation is null && result.Source != ShortfallSource.StoreUnavailable && request.Prompt.TextBytes > TokenizeAbove
            && await tokens.CountAsync(request.Body, request.Prompt, cancellationToken).ConfigureAwait(false) is { } counted)
        {
            var tokenized = estimator.Estimate(request, plan, providers, key.IncludeByokInLimit, counted);
            if (tokenized.Hold.AccountAmount < estimate.Hold.AccountAmount || tokenized.Hold.KeyAmount < estimate.Hold.KeyAmount)
            {
                (estimate, result) = (tokenized, await book.ReserveAsync(key, generationId, tokenized.Hold, cancellationToken).ConfigureAwait(false));
            }
        }
        return result.Reservation is { } reservation
            ? (reservation, null)
            : (null, Refusal(result, estimate));
    }

    /// <summary>An embeddings request's reservation: its inputs' bound (<see cref="CreditHoldEstimator.EstimateInputs"/>), no output.</summary>
    public async ValueTask<(Reservation? Reservation, ApiError? Refusal)> ReserveInputsAsync(
        CallerKey key, string generationId, IReadOnlyList<long> inputBounds, IReadOnlyList<RouteAttempt> plan, ProviderSet providers, CancellationToken cancellationToken)
    {
        var estimate = estimator.EstimateInputs(inputBounds, plan, providers, key.IncludeByokInLimit);
        var result = await book.ReserveAsync(key, generationId, estimate.Hold, cancellationToken).ConfigureAwait(false);
        return result.Reservation is { } reservation
            ? (reservation, null)
            : (null, Refusal(result, estimate));
    }

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
