namespace AgentGrid.Grains.Outbound;

/// <summary>What an outbound call got back once redirects were followed.</summary>
/// <param name="Status">The final response's HTTP status code.</param>
/// <param name="ContentType">The final response's <c>Content-Type</c>, parameters included, if it sent one.</param>
/// <param name="Body">The whole body, at most <see cref="OutboundOptions.MaxResponseBytes"/> long.</param>
/// <param name="FinalUrl">The URL that produced the final response.</param>
public sealed record OutboundResponse(int Status, string? ContentType, byte[] Body, Uri FinalUrl);
