package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdTypeTest {
  @Test
  void typeNamesAreStableBecauseEveryHashContainsThem() {
    assertThat(IdType.EMAIL).isEqualTo("email");
    assertThat(IdType.PHONE).isEqualTo("phone");
    assertThat(IdType.USER_ID).isEqualTo("user_id");
    assertThat(IdType.ANONYMOUS_ID).isEqualTo("anonymous_id");
    assertThat(IdType.DEVICE_ID).isEqualTo("device_id");
    assertThat(IdType.PUSH_ENDPOINT).isEqualTo("push_endpoint");
    assertThat(IdType.EXTERNAL_ID_PREFIX).isEqualTo("external_id:");
    assertThat(IdType.FINGERPRINT).isEqualTo("fingerprint");
    assertThat(IdType.IP24).isEqualTo("ip24");
    assertThat(IdType.IP16).isEqualTo("ip16");
  }

  @Test
  void groupsTypes() {
    for (String known : new String[] {"email", "phone", "user_id", "external_id:crm"}) {
      assertThat(IdType.isKnownPersonType(known)).as(known).isTrue();
      assertThat(IdType.isAnonymousType(known)).as(known).isFalse();
      assertThat(IdType.isSignalType(known)).as(known).isFalse();
    }
    for (String anonymous : new String[] {"anonymous_id", "device_id", "push_endpoint"}) {
      assertThat(IdType.isAnonymousType(anonymous)).as(anonymous).isTrue();
      assertThat(IdType.isKnownPersonType(anonymous)).as(anonymous).isFalse();
      assertThat(IdType.isSignalType(anonymous)).as(anonymous).isFalse();
    }
    for (String signal : new String[] {"fingerprint", "ip24", "ip16", "email_local", "phone_tail"}) {
      assertThat(IdType.isSignalType(signal)).as(signal).isTrue();
      assertThat(IdType.isKnownPersonType(signal)).as(signal).isFalse();
      assertThat(IdType.isAnonymousType(signal)).as(signal).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "email",
        "phone",
        "user_id",
        "anonymous_id",
        "device_id",
        "push_endpoint",
        "fingerprint",
        "ip24",
        "ip16",
        "external_id:crm",
        "external_id:shop_2"
      })
  void acceptsKnownTypes(String type) {
    assertThat(IdType.isValidType(type)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Email",
        "EMAIL",
        " email",
        "nickname",
        "external_id:",
        "external_id:CRM",
        "external_id:crm-eu",
        "external_id:crm:eu",
        "external_id: crm",
        "external_id"
      })
  void rejectsOtherTypes(String type) {
    assertThat(IdType.isValidType(type)).isFalse();
  }

  @Test
  void nullIsNoType() {
    assertThat(IdType.isValidType(null)).isFalse();
    assertThat(IdType.isExternalId(null)).isFalse();
    assertThat(IdType.isKnownPersonType(null)).isFalse();
    assertThat(IdType.isAnonymousType(null)).isFalse();
    assertThat(IdType.isSignalType(null)).isFalse();
  }

  @Test
  void externalIdNeedsASystemName() {
    assertThat(IdType.isExternalId("external_id:crm")).isTrue();
    assertThat(IdType.isExternalId("external_id:")).isFalse();
    assertThat(IdType.isExternalId("user_id")).isFalse();
  }
}
