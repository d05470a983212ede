namespace Switchboard.Generations;

/// <summary>
/// Generation records summed per UTC day, key, model and provider. The journal appends each batch's share as
/// <see cref="PendingDailyUsage"/> and <see cref="DailyUsageCompactor"/> folds it in here. Activity charts read these
/// rows, whose number does not grow with requests, instead of the records.
/// </summary>
internal sealed class DailyUsage : DailyUsageSums;
