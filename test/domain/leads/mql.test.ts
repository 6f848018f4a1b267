import { describe, expect, it } from "vitest";
import { companyDomainOf, parseMql } from "../../../src/domain/leads/mql.ts";
import { fromHubspot, fromMarketo, fromSalesforce } from "../../../src/domain/leads/source-mappers.ts";

describe("parseMql", () => {
  it("normalises and keeps unknown fields", () => {
    const result = parseMql({
      source: "HubSpot",
      externalId: 12345,
      email: "  Ada@Example.COM ",
      country: "gb",
      employees: "250",
      createdAt: "2026-11-20T10:15:00Z",
      favouriteEngine: "difference",
    });
    expect(result).toEqual({
      ok: true,
      mql: expect.objectContaining({
        source: "hubspot",
        externalId: "12345",
        email: "ada@example.com",
        country: "GB",
        employees: 250,
        createdAt: new Date("2026-11-20T10:15:00Z"),
        favouriteEngine: "difference",
      }),
    });
  });

  it("names every bad field at once", () => {
    expect(parseMql({ source: "", email: "nope", country: "Britain", employees: -3, score: "high" })).toEqual({
      ok: false,
      errors: {
        source: "is required",
        externalId: "is required",
        email: "must be an email address",
        country: "must be a two-letter ISO country code",
        employees: expect.stringContaining(">=0"),
        score: "must be a number",
      },
    });
    expect(parseMql([1, 2])).toEqual({ ok: false, errors: { body: "must be a JSON object" } });
  });
});

describe("companyDomainOf", () => {
  it.each([
    ["ada@analytical.example", undefined, "analytical.example"],
    ["ada@gmail.com", undefined, undefined],
    ["ada@gmail.com", "https://www.Analytical.example/about", "analytical.example"],
    ["ada@corp.example", "analytical.example", "analytical.example"],
  ])("%s + %s → %s", (email, website, expected) => {
    expect(companyDomainOf(email, website)).toBe(expected);
  });
});

describe("source mappers", () => {
  it("maps a HubSpot contact", () => {
    expect(
      fromHubspot({
        id: "501",
        properties: {
          hs_object_id: "501",
          email: "ada@example.com",
          firstname: "Ada",
          lastname: "Lovelace",
          company: "Analytical Engines",
          jobtitle: "CTO",
          country: "GB",
          numemployees: "250",
          hubspotscore: "87",
          website: "",
        },
      }),
    ).toEqual({
      source: "hubspot",
      externalId: "501",
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      company: "Analytical Engines",
      title: "CTO",
      country: "GB",
      employees: "250",
      score: "87",
    });
  });

  it("maps a Salesforce Lead record, keeping a free-text country out of routing", () => {
    const lead = fromSalesforce({
      attributes: { type: "Lead" },
      Id: "00Q5e00000AbCdE",
      Email: "grace@navy.example",
      FirstName: "Grace",
      LastName: "Hopper",
      Company: "US Navy",
      Country: "United States",
      NumberOfEmployees: 5000,
      LeadSource: "Web",
      Industry: "Government",
    });
    expect(lead).toEqual({
      source: "salesforce",
      externalId: "00Q5e00000AbCdE",
      email: "grace@navy.example",
      firstName: "Grace",
      lastName: "Hopper",
      company: "US Navy",
      employees: 5000,
      industry: "Government",
      channel: "Web",
    });
    expect(fromSalesforce({ Id: "1", Email: "a@b.example", Country: "us" }).country).toBe("us");
  });

  it("maps a Marketo lead", () => {
    expect(
      fromMarketo({ id: 318581, email: "alan@bletchley.example", firstName: "Alan", numberOfEmployees: 40 }),
    ).toEqual({
      source: "marketo",
      externalId: 318581,
      email: "alan@bletchley.example",
      firstName: "Alan",
      employees: 40,
    });
  });
});
