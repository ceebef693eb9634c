// Kafka 4.4's answer to a request sent in the middle of the SASL token exchange, computed by Kafka's own
// classes: SaslServerAuthenticator.handleSaslToken parses the request (AbstractRequest.parseRequest) and
// sends request.getErrorResponse(new IllegalSaslStateException("Unexpected Kafka request of type <API>
// during SASL authentication.")). Reads lines "<apiKey> <version> <request body hex>" from stdin and
// prints, one line each, the response body in hex (no size, no header), "null" when getErrorResponse
// gives none (Produce with acks=0), or "unparsable <exception>" when Kafka cannot parse the request.
// test/integration/sasl-refusals-all-apis.test.ts compares these with kafkalite's
// broker/security/sasl/refusal.ts for every API and version.
//
//   echo '3 12 <hex>' | java -cp 'test/jvm/.cache/lib/*' test/jvm/programs/ErrorResponses.java

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

public class ErrorResponses {
  public static void main(String[] args) throws Exception {
    var in = new BufferedReader(new InputStreamReader(System.in));
    var hex = HexFormat.of();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      String[] parts = line.trim().split(" ", 3);
      ApiKeys api = ApiKeys.forId(Short.parseShort(parts[0]));
      short version = Short.parseShort(parts[1]);
      byte[] body = parts.length > 2 ? hex.parseHex(parts[2]) : new byte[0];
      AbstractRequest request;
      try {
        request = AbstractRequest.parseRequest(api, version, new ByteBufferAccessor(ByteBuffer.wrap(body))).request;
      } catch (Throwable e) {
        System.out.println("unparsable " + e.getClass().getSimpleName());
        continue;
      }
      var e = new IllegalSaslStateException("Unexpected Kafka request of type " + api + " during SASL authentication.");
      AbstractResponse response;
      try {
        response = request.getErrorResponse(e);
      } catch (Throwable t) {
        System.out.println("throws " + t.getClass().getSimpleName());
        continue;
      }
      if (response == null) {
        System.out.println("null");
        continue;
      }
      ByteBuffer out = MessageUtil.toByteBufferAccessor(response.data(), version).buffer();
      byte[] bytes = new byte[out.remaining()];
      out.get(bytes);
      System.out.println(hex.formatHex(bytes));
    }
  }
}
